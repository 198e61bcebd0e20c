-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "SyncAction" ADD VALUE 'ready_to_resolve';
ALTER TYPE "SyncAction" ADD VALUE 'not_applied';

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "notAppliedAt" TIMESTAMPTZ(3),
ADD COLUMN     "notAppliedMessage" TEXT,
ADD COLUMN     "readyToResolveAt" TIMESTAMPTZ(3);
