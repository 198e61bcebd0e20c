-- The findings list filtered by resource type and sorted by last status change (sort=-changed, whose
-- order is "statusChangedAt" DESC NULLS LAST, then id) read every finding of the type and sorted them
-- (10,000 rows, 70-150 ms at 100,000 findings); this index gives that order, so a page reads one page of
-- entries (docs/PERFORMANCE.md, "List APIs"). schema.prisma says DESC and cannot say NULLS LAST: the
-- NULLS ordering is written here by hand (the schema engine compares the direction only).
-- CreateIndex
CREATE INDEX "Finding_resourceType_statusChangedAt_id_idx" ON "Finding"("resourceType", "statusChangedAt" DESC NULLS LAST, "id" DESC);

-- The compliance summary's data version (lib/compliance/version-sql.ts): a sequence that every
-- statement writing a table the summary reads moves forward, so a cached summary is still true while
-- the number is unchanged — one read of one row instead of a count and a newest write time of eight
-- tables on every request. A sequence, not a counter row: nextval never waits for or locks anything, so
-- writers of these tables never queue behind each other. Because nextval is visible before the writer
-- commits, each writer also holds a shared transaction-level advisory lock (writers never conflict with
-- each other); a reader that gets the same lock exclusively (pg_try_advisory_xact_lock, never waiting)
-- knows every number so far was committed, and only such a "settled" version may label a new cache entry.
CREATE SEQUENCE "posturedesk_compliance_version";

CREATE OR REPLACE FUNCTION "posturedesk_compliance_version_bump"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(hashtextextended('posturedesk:compliance-version', 0));
  PERFORM nextval('"posturedesk_compliance_version"');
  RETURN NULL;
END $$;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['RecommendationSummary', 'Ticket', 'TicketLink', 'SecureScore', 'ComplianceSnapshot',
    'RegulatoryStandard', 'RegulatoryControl', 'RegulatoryAssessment', 'Subscription', 'AzureTenant'] LOOP
    EXECUTE format('CREATE TRIGGER "posturedesk_compliance_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
      FOR EACH STATEMENT EXECUTE FUNCTION "posturedesk_compliance_version_bump"()', t);
  END LOOP;
END $$;
