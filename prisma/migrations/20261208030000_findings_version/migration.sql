-- The findings list's data version (lib/findings/count-sql.ts): a sequence that every statement writing
-- a table the findings list's filters read moves forward — findings, their due dates, ticket links,
-- tenants, recommendations (category and search), sub-assessments (CVE), Configuration Compliance
-- results and the connections they count under. While the number is unchanged a filter's bounded count
-- is still true, so it is served again instead of read again (paging through one filter, a refresh).
-- Same protocol as the compliance summary's version (migration list_versions): nextval never waits,
-- and each writer holds a shared transaction advisory lock until it commits, which a reader tries
-- exclusively so that only a settled number labels a cached count.
CREATE SEQUENCE "posturedesk_findings_version";

CREATE OR REPLACE FUNCTION "posturedesk_findings_version_bump"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(hashtextextended('posturedesk:findings-version', 0));
  PERFORM nextval('"posturedesk_findings_version"');
  RETURN NULL;
END $$;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['Finding', 'FindingDue', 'TicketLink', 'AzureTenant', 'Recommendation', 'SubAssessment', 'CcResult',
    'ServiceNowConnection'] LOOP
    EXECUTE format('CREATE TRIGGER "posturedesk_findings_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
      FOR EACH STATEMENT EXECUTE FUNCTION "posturedesk_findings_version_bump"()', t);
  END LOOP;
END $$;
