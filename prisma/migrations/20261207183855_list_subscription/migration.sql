-- The subscription index goes on after (subscriptionId, status) with the findings list's partition keys
-- (severity, then resourceName and id) and the columns every list query filters on (tenant, removedAt),
-- like the resource-group index: a list filtered by one subscription walks its (severity, status)
-- partitions in name order, index-only, instead of reading and sorting every finding of the subscription
-- (35,000 unhealthy ones in one subscription of a million-finding estate; docs/PERFORMANCE.md, "List
-- APIs"). It replaces the index it extends, which was a prefix of it: the number of indexes ingestion
-- maintains on Finding does not change.

-- DropIndex
DROP INDEX "Finding_subscriptionId_status_idx";

-- CreateIndex
CREATE INDEX "Finding_list_subscription_idx" ON "Finding"("subscriptionId", "status", "severity", "resourceName", "id", "azureTenantId", "removedAt");
