import "server-only";

// Test result → finding. A finding is one Defender assessment on one Azure resource; a CC test result is
// one test on one configuration item. ServiceNow's Defender integration records the resource as the CI's
// object_id (the Azure resource id) and the assessment as the test (created by its "Assessment Metadata
// Integration"). How it fills the test's and the result's source_id is not documented, so every plausible
// key is tried, best first (docs/EMULATORS.md, "Contract: Configuration Compliance", assumptions A1–A3):
//   1. the result's source_id is the assessment's ARM id;
//   2. the result's source_id ends with the assessment name (".../assessments/<key>" or the bare key);
//   3. the test's source_id is the assessment metadata name (the recommendation key);
//   4. the test's name is the recommendation's display name.
// Always on the same resource: lower(Finding.resourceId) = CcResult.ciObjectId (ARM ids are case-insensitive).
import { pool } from "@/lib/db";

const MATCH_SQL = `
  WITH cand AS (
    SELECT c."id" AS "ccId", f."id" AS "findingId",
      CASE
        WHEN lower(c."sourceId") = lower(f."armId") THEN 1
        WHEN lower(c."sourceId") = f."recommendationKey" OR lower(c."sourceId") LIKE '%/assessments/' || f."recommendationKey" THEN 2
        WHEN lower(c."testSourceId") = f."recommendationKey" THEN 3
        ELSE 4
      END AS "rank",
      f."removedAt"
    FROM "CcResult" c
    JOIN "Finding" f ON lower(f."resourceId") = c."ciObjectId"
    JOIN "Recommendation" r ON r."key" = f."recommendationKey"
    WHERE c."connectionId" = $1::uuid AND c."ciObjectId" IS NOT NULL
      AND ($2::timestamptz IS NULL OR c."findingId" IS NULL OR c."readAt" >= $2::timestamptz)
      AND (lower(c."sourceId") = lower(f."armId")
        OR lower(c."sourceId") = f."recommendationKey"
        OR lower(c."sourceId") LIKE '%/assessments/' || f."recommendationKey"
        OR lower(c."testSourceId") = f."recommendationKey"
        OR lower(c."testName") = lower(r."displayName"))
  ), best AS (
    SELECT DISTINCT ON ("ccId") "ccId", "findingId" FROM cand ORDER BY "ccId", "rank", ("removedAt" IS NULL) DESC
  )
  UPDATE "CcResult" c SET "findingId" = best."findingId"
  FROM best WHERE c."id" = best."ccId" AND c."findingId" IS DISTINCT FROM best."findingId"`;

/** Matches the connection's results read since `changedSince` (all when null) and those still unmatched; returns how many changed. */
export async function matchCcResults(connectionId: string, changedSince: Date | null): Promise<number> {
  const res = await pool().query(MATCH_SQL, [connectionId, changedSince]);
  return res.rowCount ?? 0;
}
