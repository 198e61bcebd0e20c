-- The findings list filtered by resource type and sorted by last status change (sort=-changed, whose
-- order is "statusChangedAt" DESC NULLS LAST, then id) read every finding of the type and sorted them
-- (10,000 rows, 70-150 ms at 100,000 findings); this index gives that order, so a page reads one page of
-- entries (docs/PERFORMANCE.md, "List APIs"). schema.prisma says DESC and cannot say NULLS LAST: the
-- NULLS ordering is written here by hand (the schema engine compares the direction only).
-- CreateIndex
CREATE INDEX "Finding_resourceType_statusChangedAt_id_idx" ON "Finding"("resourceType", "statusChangedAt" DESC NULLS LAST, "id" DESC);
