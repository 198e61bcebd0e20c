-- CreateTable
CREATE TABLE "CloudResource" (
    "azureTenantId" UUID NOT NULL,
    "resourceId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "nativeResourceId" TEXT,
    "accountId" TEXT,
    "region" TEXT,
    "connectorId" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CloudResource_pkey" PRIMARY KEY ("azureTenantId","resourceId")
);

-- AddForeignKey
ALTER TABLE "CloudResource" ADD CONSTRAINT "CloudResource_azureTenantId_fkey" FOREIGN KEY ("azureTenantId") REFERENCES "AzureTenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
