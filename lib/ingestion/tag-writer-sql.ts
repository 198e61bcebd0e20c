import "server-only";
import type pg from "pg";
import { type ResourceTags } from "@/lib/azure/resource-graph";

// The SQL of tag-writer.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

export const TAG_STAGE = "pg_temp.resource_tags";

/** Creates the session's tag table if needed (the finding writer's inserts read it, empty or not). */
export async function ensureTagStage(db: pg.PoolClient): Promise<void> {
  await db.query(`CREATE TEMP TABLE IF NOT EXISTS resource_tags ("rid" text PRIMARY KEY, "tags" jsonb NOT NULL)`);
}

/** An empty tag table for this pass. */
export async function resetTagStage(db: pg.PoolClient): Promise<void> {
  await ensureTagStage(db);
  await db.query(`TRUNCATE ${TAG_STAGE}`);
}

/** One page of Resource Graph rows into the tag table (a resource listed twice, in two casings: last wins). */
export async function stageTagPage(db: pg.PoolClient, rows: ResourceTags[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO ${TAG_STAGE} ("rid", "tags")
     SELECT DISTINCT ON (rid) rid, tags::jsonb FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(rid, tags, n) ORDER BY rid, n DESC
     ON CONFLICT ("rid") DO UPDATE SET "tags" = EXCLUDED."tags"`,
    [rows.map((r) => r.id.toLowerCase()), rows.map((r) => JSON.stringify(r.tags))],
  );
}

/** After the pass: every finding of the tenant on a staged resource whose tags differ, in one statement. */
export async function applyStagedTags(db: pg.PoolClient, azureTenantId: string): Promise<number> {
  // Temp tables are never auto-analyzed: without statistics the planner would guess a handful of rows.
  await db.query(`ANALYZE ${TAG_STAGE}`);
  const result = await db.query<{ updated: number }>(
    `WITH up AS (
       UPDATE "Finding" f SET "tags" = t."tags", "updatedAt" = now()
       FROM ${TAG_STAGE} t
       WHERE f."azureTenantId" = $1::uuid AND lower(f."resourceId") = t."rid" AND f."tags" IS DISTINCT FROM t."tags"
       RETURNING 1
     )
     SELECT count(*)::int AS updated FROM up`,
    [azureTenantId],
  );
  return result.rows[0]!.updated;
}

/** Incremental passes: one page of rows asked by id → the given findings (by primary key, no scan). */
export async function writeTagPage(db: pg.PoolClient, findingIds: string[], rows: ResourceTags[]): Promise<number> {
  if (rows.length === 0 || findingIds.length === 0) return 0;
  const result = await db.query<{ updated: number }>(
    `WITH s AS (
       SELECT DISTINCT ON (rid) rid, tags::jsonb AS tags FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS u(rid, tags, n) ORDER BY rid, n DESC
     ),
     up AS (
       UPDATE "Finding" f SET "tags" = s."tags", "updatedAt" = now()
       FROM s
       WHERE f."id" = ANY($1::uuid[]) AND lower(f."resourceId") = s.rid AND f."tags" IS DISTINCT FROM s."tags"
       RETURNING 1
     )
     SELECT count(*)::int AS updated FROM up`,
    [findingIds, rows.map((r) => r.id.toLowerCase()), rows.map((r) => JSON.stringify(r.tags))],
  );
  return result.rows[0]!.updated;
}

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
