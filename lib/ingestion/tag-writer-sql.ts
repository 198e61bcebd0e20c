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
