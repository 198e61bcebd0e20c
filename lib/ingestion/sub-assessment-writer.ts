import "server-only";

// Set-based writes of sub-assessments (one vulnerability behind a finding) into SubAssessment, on the
// ingestion's own connection. Each page of up to 1,000 is one statement: the rows go in as one jsonb
// parameter (jsonb_to_recordset: the CVE arrays of a page are not rectangular, which unnest() of a
// text[][] would need), are joined to their finding by the assessment's ARM id, and only new or changed
// rows (md5 `hash` of the normalized content) reach the upsert, so a daily rescan that changes nothing
// writes nothing. Full passes also record what they saw in a session temp table of md5(armId) (16 bytes a
// row: millions fit) whose anti-join then deletes what Defender no longer reports.
export { SUB_SEEN, createSubAssessmentWriter, type SubPageResult, type SubAssessmentWriter } from "./sub-assessment-writer-sql";
