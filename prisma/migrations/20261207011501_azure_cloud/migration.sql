-- AlterTable
ALTER TABLE "AzureTenant" ADD COLUMN     "armAudience" TEXT NOT NULL DEFAULT 'https://management.azure.com',
ADD COLUMN     "cloud" TEXT NOT NULL DEFAULT 'public';

-- Existing connections keep the public audience (endpoints other than the public ones stay as overrides),
-- except those pointed at Azure US Government, which could never get a valid token: they take that cloud.
UPDATE "AzureTenant" SET "cloud" = 'usgov', "armAudience" = 'https://management.usgovcloudapi.net'
 WHERE "armEndpoint" = 'https://management.usgovcloudapi.net' AND "authorityHost" = 'https://login.microsoftonline.us';
