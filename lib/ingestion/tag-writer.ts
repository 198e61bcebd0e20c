import "server-only";

// Set-based writes of resource tags into Finding.tags (rules match tags and take owners from them).
// Resource ids are compared lowercased on both sides: Defender's resourceDetails.id and Resource Graph's
// id name the same resource in varying case.
//
// Why a staging table rather than one UPDATE per Resource Graph page (measured with bench/ingest.ts at
// 100,000 findings, docs/PERFORMANCE.md): matching `lower("resourceId")` has no index, so each page's
// UPDATE scanned every finding (~0.45 s × 9 pages for nothing), and writing tags into 100,000 findings
// just inserted rewrote each row and its 11 index entries again (~20 s). So a full pass lists the tags
// first into the session's `pg_temp.resource_tags` (one INSERT per page); new findings take their tags
// when they are inserted (finding-writer.ts joins this table), and after the pass one UPDATE (one hash
// join) writes only the existing findings whose tags changed. All on the ingestion's dedicated connection.
import type pg from "pg";
export { TAG_STAGE, ensureTagStage, resetTagStage, stageTagPage, applyStagedTags, writeTagPage } from "./tag-writer-sql";

/**
 * Findings first seen since the last full tag listing (`since`; null = never) whose tags are still empty:
 * those on a resource the listing covered, or that already got tags, take that resource's tags here (no
 * request); the others are returned with their resource ids, to be asked from Resource Graph.
 */
const FRESH_SQL = `
WITH fresh AS (
  SELECT f."id", f."resourceId", lower(f."resourceId") AS rid FROM "Finding" f
  WHERE f."azureTenantId" = $1::uuid AND f."removedAt" IS NULL AND f."tags" = '{}'::jsonb
    AND f."subscriptionId" = ANY($3::text[]) AND lower(f."resourceId") LIKE '/subscriptions/%/%'
    -- lastSeenAt ≥ firstSeenAt: the condition on it lets the (azureTenantId, lastSeenAt) index find the few new rows.
    AND ($2::timestamptz IS NULL OR (f."firstSeenAt" > $2::timestamptz AND f."lastSeenAt" > $2::timestamptz))
),
-- Siblings by the resource id as stored (indexed); one spelled differently is simply asked from Resource Graph.
known AS (
  SELECT DISTINCT ON (lower(o."resourceId")) lower(o."resourceId") AS rid, o."tags" FROM "Finding" o
  WHERE o."resourceId" IN (SELECT "resourceId" FROM fresh) AND o."azureTenantId" = $1::uuid
    AND (o."tags" <> '{}'::jsonb OR ($2::timestamptz IS NOT NULL AND o."firstSeenAt" <= $2::timestamptz))
  ORDER BY lower(o."resourceId"), (o."tags" <> '{}'::jsonb) DESC, o."updatedAt" DESC
),
copied AS (
  UPDATE "Finding" f SET "tags" = k."tags", "updatedAt" = now()
  FROM fresh, known k
  WHERE f."id" = fresh."id" AND fresh.rid = k.rid AND k."tags" <> '{}'::jsonb
  RETURNING 1
),
unknown AS (SELECT * FROM fresh WHERE NOT EXISTS (SELECT 1 FROM known k WHERE k.rid = fresh.rid))
SELECT (SELECT count(*) FROM copied)::int AS copied,
  (SELECT COALESCE(array_agg(DISTINCT rid), '{}') FROM unknown) AS "resourceIds",
  (SELECT COALESCE(array_agg("id"), '{}') FROM unknown) AS "findingIds"`;

export async function tagFreshFindings(
  db: pg.PoolClient,
  azureTenantId: string,
  subscriptionIds: string[],
  since: Date | null,
): Promise<{ copied: number; unknown: { resourceIds: string[]; findingIds: string[] } }> {
  const result = await db.query<{ copied: number; resourceIds: string[]; findingIds: string[] }>(FRESH_SQL, [
    azureTenantId,
    since?.toISOString() ?? null,
    subscriptionIds,
  ]);
  const row = result.rows[0]!;
  return { copied: row.copied, unknown: { resourceIds: row.resourceIds, findingIds: row.findingIds } };
}
