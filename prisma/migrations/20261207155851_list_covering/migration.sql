-- The findings list's two most used indexes gain the columns every list query filters on (the finding's
-- tenant and removedAt) after its sort keys, so a page, a page by number's position and a bounded count
-- are index-only scans: a page of the default sort read one finding row per entry (9 × 51), a page by
-- number 1,900 more, and the resource-group filter 2,709 rows spread over as many pages for its page and
-- 1,001 for its count (docs/PERFORMANCE.md, "List APIs"). Each replaces the narrower index it extends:
-- the number of indexes ingestion maintains on Finding does not change.

-- DropIndex
DROP INDEX "Finding_resourceGroup_idx";

-- DropIndex
DROP INDEX "Finding_severity_status_resourceName_id_idx";

-- CreateIndex
CREATE INDEX "Finding_list_severity_status_idx" ON "Finding"("severity", "status", "resourceName", "id", "azureTenantId", "removedAt");

-- CreateIndex
CREATE INDEX "Finding_list_resourceGroup_idx" ON "Finding"("resourceGroup", "severity", "status", "resourceName", "id", "azureTenantId", "removedAt");
