-- The recommendation index goes on after (recommendationKey, status) with resourceName and id, then
-- severity: one recommendation's findings of one status are an index range in name order (the sort by
-- resource), and its (severity, status) partitions are read in name order with severity checked in the
-- index (the severity and status sorts) instead of reading and sorting all of the recommendation's
-- findings (3,300 at a million; docs/PERFORMANCE.md, "List APIs"). Deliberately not covering (no tenant,
-- no removedAt, unlike the other list indexes): with every column of the search filter in it, the planner
-- read the whole index for a search (`q=`) under a LIMIT, trusting its guess of how many names match the
-- text (155 ms at a million findings). It replaces the index it extends, which was a prefix of it: the
-- number of indexes ingestion maintains on Finding does not change.

-- DropIndex
DROP INDEX "Finding_recommendationKey_status_idx";

-- CreateIndex
CREATE INDEX "Finding_list_recommendation_idx" ON "Finding"("recommendationKey", "status", "resourceName", "id", "severity");
