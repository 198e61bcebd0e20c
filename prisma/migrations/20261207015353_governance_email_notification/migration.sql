-- AlterTable
ALTER TABLE "ServiceNowConnection" ADD COLUMN     "governanceManagerEmails" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "governanceOwnerEmails" BOOLEAN NOT NULL DEFAULT true;
