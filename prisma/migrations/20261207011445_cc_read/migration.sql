/*
  Warnings:

  - You are about to drop the column `ccStagingTable` on the `ServiceNowConnection` table. All the data in the column will be lost.
  - You are about to drop the `CcExportState` table. If the table is not empty, all the data it contains will be lost.
  - You are about to drop the `CcTest` table. If the table is not empty, all the data it contains will be lost.

*/
-- DropForeignKey
ALTER TABLE "CcExportState" DROP CONSTRAINT "CcExportState_connectionId_fkey";

-- DropForeignKey
ALTER TABLE "CcExportState" DROP CONSTRAINT "CcExportState_findingId_fkey";

-- DropForeignKey
ALTER TABLE "CcTest" DROP CONSTRAINT "CcTest_connectionId_fkey";

-- AlterTable
ALTER TABLE "ServiceNowConnection" DROP COLUMN "ccStagingTable",
ADD COLUMN     "ccLastDeliveryAt" TIMESTAMPTZ(3),
ADD COLUMN     "ccWatermark" TIMESTAMPTZ(3);

-- DropTable
DROP TABLE "CcExportState";

-- DropTable
DROP TABLE "CcTest";

-- CreateTable
CREATE TABLE "CcResult" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "connectionId" UUID NOT NULL,
    "sysId" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "state" TEXT,
    "sourceId" TEXT,
    "testSysId" TEXT,
    "testName" TEXT,
    "testSourceId" TEXT,
    "testGroupName" TEXT,
    "ciSysId" TEXT,
    "ciObjectId" TEXT,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "findingId" UUID,
    "snUpdatedAt" TIMESTAMPTZ(3) NOT NULL,
    "readAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CcResult_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CcRemediationTask" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "connectionId" UUID NOT NULL,
    "sysId" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "stateLabel" TEXT NOT NULL,
    "assignmentGroupName" TEXT,
    "assignedToName" TEXT,
    "shortDescription" TEXT,
    "url" TEXT NOT NULL,
    "snUpdatedAt" TIMESTAMPTZ(3) NOT NULL,
    "readAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CcRemediationTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CcResultTask" (
    "connectionId" UUID NOT NULL,
    "sysId" TEXT NOT NULL,
    "resultSysId" TEXT NOT NULL,
    "taskSysId" TEXT NOT NULL,

    CONSTRAINT "CcResultTask_pkey" PRIMARY KEY ("connectionId","sysId")
);

-- CreateIndex
CREATE INDEX "CcResult_findingId_idx" ON "CcResult"("findingId");

-- CreateIndex
CREATE INDEX "CcResult_connectionId_ciObjectId_idx" ON "CcResult"("connectionId", "ciObjectId");

-- CreateIndex
CREATE UNIQUE INDEX "CcResult_connectionId_sysId_key" ON "CcResult"("connectionId", "sysId");

-- CreateIndex
CREATE UNIQUE INDEX "CcRemediationTask_connectionId_sysId_key" ON "CcRemediationTask"("connectionId", "sysId");

-- CreateIndex
CREATE INDEX "CcResultTask_connectionId_resultSysId_idx" ON "CcResultTask"("connectionId", "resultSysId");

-- CreateIndex
CREATE INDEX "CcResultTask_connectionId_taskSysId_idx" ON "CcResultTask"("connectionId", "taskSysId");

-- AddForeignKey
ALTER TABLE "CcResult" ADD CONSTRAINT "CcResult_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "ServiceNowConnection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CcResult" ADD CONSTRAINT "CcResult_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CcRemediationTask" ADD CONSTRAINT "CcRemediationTask_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "ServiceNowConnection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
