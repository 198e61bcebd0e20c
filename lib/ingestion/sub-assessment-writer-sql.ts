import "server-only";
import type pg from "pg";
import { type NormalizedSubAssessment } from "./sub-assessment-normalize";

// The SQL of sub-assessment-writer.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

export const SUB_SEEN = "pg_temp.sub_assessment_seen";

export type SubPageResult = {
  /** Rows of the page (after de-duplication by id). */
  received: number;
  /** Rows whose finding is known and unhealthy (the others are not kept). */
  matched: number;
  inserted: number;
  updated: number;
};

export const UPSERT = `
WITH s AS (
  SELECT DISTINCT ON (x."armId") x.* FROM jsonb_to_recordset($1::jsonb) AS x(
    "armId" text, "parentArmId" text, "vulnerabilityId" text, "displayName" text, "severity" text, "status" text, "kind" text,
    "cves" text[], "cvssScore" double precision, "cvssVersion" text, "patchable" boolean, "publishedAt" timestamptz,
    "remediation" text, "category" text, "description" text, "timeGenerated" timestamptz, "details" jsonb, "hash" text)
  ORDER BY x."armId"
),
j AS (
  SELECT s.*, f."id" AS "findingId" FROM s
  JOIN "Finding" f ON f."armId" = s."parentArmId"
  WHERE f."azureTenantId" = $2::uuid AND f."status" = 'Unhealthy' AND f."removedAt" IS NULL
),
seen AS (
  INSERT INTO ${SUB_SEEN} ("h") SELECT md5(j."armId")::uuid FROM j WHERE $3::boolean RETURNING 1
),
changed AS (
  SELECT j.* FROM j LEFT JOIN "SubAssessment" p ON p."armId" = j."armId"
  WHERE p."id" IS NULL OR p."hash" <> j."hash" OR p."findingId" <> j."findingId"
),
up AS (
  INSERT INTO "SubAssessment" AS t ("armId", "findingId", "vulnerabilityId", "displayName", "severity", "status", "kind", "cves", "cvssScore", "cvssVersion",
    "patchable", "publishedAt", "remediation", "category", "description", "timeGenerated", "details", "hash", "createdAt", "updatedAt")
  SELECT c."armId", c."findingId", c."vulnerabilityId", c."displayName", c."severity"::"Severity", c."status"::"FindingStatus", c."kind", c."cves", c."cvssScore", c."cvssVersion",
    c."patchable", c."publishedAt", c."remediation", c."category", c."description", c."timeGenerated", c."details", c."hash", $4::timestamptz, $4::timestamptz
  FROM changed c
  ON CONFLICT ("armId") DO UPDATE SET
    "findingId" = EXCLUDED."findingId", "vulnerabilityId" = EXCLUDED."vulnerabilityId", "displayName" = EXCLUDED."displayName", "severity" = EXCLUDED."severity",
    "status" = EXCLUDED."status", "kind" = EXCLUDED."kind", "cves" = EXCLUDED."cves", "cvssScore" = EXCLUDED."cvssScore", "cvssVersion" = EXCLUDED."cvssVersion",
    "patchable" = EXCLUDED."patchable", "publishedAt" = EXCLUDED."publishedAt", "remediation" = EXCLUDED."remediation", "category" = EXCLUDED."category",
    "description" = EXCLUDED."description", "timeGenerated" = EXCLUDED."timeGenerated", "details" = EXCLUDED."details", "hash" = EXCLUDED."hash", "updatedAt" = EXCLUDED."updatedAt"
  RETURNING (xmax = 0) AS "inserted"
)
SELECT (SELECT count(*) FROM s)::int AS "received", (SELECT count(*) FROM j)::int AS "matched",
  (SELECT count(*) FROM up WHERE "inserted")::int AS "inserted", (SELECT count(*) FROM up WHERE NOT "inserted")::int AS "updated",
  (SELECT count(*) FROM seen)::int AS "seen"`;

export type SubAssessmentWriter = {
  write(rows: NormalizedSubAssessment[]): Promise<SubPageResult>;
  /** Full passes: deletes the tenant's sub-assessments of these subscriptions that the pass did not see. */
  deleteUnseen(subscriptionIds: string[]): Promise<number>;
  /** Every pass: deletes the sub-assessments of findings this pass wrote as no longer unhealthy or removed. */
  deleteOfResolvedFindings(): Promise<number>;
};

export async function createSubAssessmentWriter(
  client: pg.PoolClient,
  run: { azureTenantId: string; now: Date; isFull: boolean },
): Promise<SubAssessmentWriter> {
  // Incremental passes write nothing into it, but the statement names it.
  await client.query(`CREATE TEMP TABLE IF NOT EXISTS sub_assessment_seen ("h" uuid NOT NULL)`);
  await client.query(`TRUNCATE ${SUB_SEEN}`);
  const now = run.now.toISOString();
  return {
    async write(rows) {
      if (rows.length === 0) return { received: 0, matched: 0, inserted: 0, updated: 0 };
      const payload = JSON.stringify(
        rows.map((r) => ({
          ...r,
          publishedAt: r.publishedAt?.toISOString() ?? null,
          timeGenerated: r.timeGenerated?.toISOString() ?? null,
        })),
      );
      const result = await client.query<SubPageResult>(UPSERT, [payload, run.azureTenantId, run.isFull, now]);
      const row = result.rows[0]!;
      return { received: row.received, matched: row.matched, inserted: row.inserted, updated: row.updated };
    },
    async deleteUnseen(subscriptionIds) {
      if (!run.isFull || subscriptionIds.length === 0) return 0;
      await client.query(`ANALYZE ${SUB_SEEN}`);
      const result = await client.query(
        `DELETE FROM "SubAssessment" s USING "Finding" f
         WHERE f."id" = s."findingId" AND f."azureTenantId" = $1::uuid AND f."subscriptionId" = ANY($2::text[])
           AND NOT EXISTS (SELECT 1 FROM ${SUB_SEEN} x WHERE x."h" = md5(s."armId")::uuid)`,
        [run.azureTenantId, subscriptionIds],
      );
      return result.rowCount ?? 0;
    },
    async deleteOfResolvedFindings() {
      // Findings written by this pass carry lastSeenAt = now (index on tenant + lastSeenAt); removals set removedAt = now.
      const result = await client.query(
        `DELETE FROM "SubAssessment" s
         WHERE s."findingId" IN (
           SELECT f."id" FROM "Finding" f WHERE f."azureTenantId" = $1::uuid AND f."lastSeenAt" >= $2::timestamptz AND f."status" <> 'Unhealthy'
           UNION ALL
           SELECT f."id" FROM "Finding" f WHERE f."azureTenantId" = $1::uuid AND f."removedAt" >= $2::timestamptz)`,
        [run.azureTenantId, now],
      );
      return result.rowCount ?? 0;
    },
  };
}
