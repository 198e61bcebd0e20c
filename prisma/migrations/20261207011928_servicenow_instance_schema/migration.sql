-- AlterTable
ALTER TABLE "ServiceNowConnection" ADD COLUMN     "fieldDefaults" JSONB NOT NULL DEFAULT '{}',
ALTER COLUMN "closeCode" SET DEFAULT 'Solution provided';

-- CreateTable
CREATE TABLE "ServiceNowTableSchema" (
    "connectionId" UUID NOT NULL,
    "table" TEXT NOT NULL,
    "fields" JSONB NOT NULL,
    "learned" JSONB NOT NULL DEFAULT '[]',
    "sources" JSONB NOT NULL,
    "discoveredAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ServiceNowTableSchema_pkey" PRIMARY KEY ("connectionId","table")
);

-- AddForeignKey
ALTER TABLE "ServiceNowTableSchema" ADD CONSTRAINT "ServiceNowTableSchema_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "ServiceNowConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;
