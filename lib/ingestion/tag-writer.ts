import "server-only";

// Set-based writes of resource tags into Finding.tags (rules match tags and take owners from them).
// Resource ids are compared lowercased on both sides: Defender's resourceDetails.id and Resource Graph's
// id name the same resource in varying case. Only rows whose tags differ are written, so a pass where no
// tag changed writes nothing.
import type pg from "pg";
import { type ResourceTags } from "@/lib/azure/resource-graph";

/** One page of Resource Graph rows → the tags of every finding on those resources, in one statement. */
const PAGE_SQL = `
WITH s AS (
  -- One statement may not update a row twice: a resource listed twice (in two casings) counts once, last wins.
  SELECT DISTINCT ON (rid) rid, tags::jsonb AS tags
  FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS u(rid, tags, n)
  ORDER BY rid, n DESC
),
up AS (
  UPDATE "Finding" f SET "tags" = s."tags", "updatedAt" = now()
  FROM s
  WHERE f."azureTenantId" = $1::uuid AND lower(f."resourceId") = s.rid AND f."tags" IS DISTINCT FROM s."tags"
  RETURNING 1
)
SELECT (SELECT count(*) FROM up)::int AS updated`;

export async function writeTagPage(db: pg.PoolClient, azureTenantId: string, rows: ResourceTags[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await db.query<{ updated: number }>(PAGE_SQL, [azureTenantId, rows.map((r) => r.id.toLowerCase()), rows.map((r) => JSON.stringify(r.tags))]);
  return result.rows[0]!.updated;
}

/**
 * Findings first seen since the last full tag listing (`since`; null = never) whose tags are still empty:
 * those on a resource the listing covered, or that already got tags, take that resource's tags here (no
 * request); the resource ids of the others are returned, to be asked from Resource Graph.
 */
const FRESH_SQL = `
WITH fresh AS (
  SELECT f."id", lower(f."resourceId") AS rid, f."subscriptionId" FROM "Finding" f
  WHERE f."azureTenantId" = $1::uuid AND f."removedAt" IS NULL AND f."tags" = '{}'::jsonb
    AND f."subscriptionId" = ANY($3::text[]) AND lower(f."resourceId") LIKE '/subscriptions/%/%'
    AND ($2::timestamptz IS NULL OR f."firstSeenAt" > $2::timestamptz)
),
known AS (
  SELECT DISTINCT ON (lower(o."resourceId")) lower(o."resourceId") AS rid, o."tags" FROM "Finding" o
  WHERE o."azureTenantId" = $1::uuid AND lower(o."resourceId") IN (SELECT rid FROM fresh)
    AND (o."tags" <> '{}'::jsonb OR ($2::timestamptz IS NOT NULL AND o."firstSeenAt" <= $2::timestamptz))
  ORDER BY lower(o."resourceId"), (o."tags" <> '{}'::jsonb) DESC, o."updatedAt" DESC
),
copied AS (
  UPDATE "Finding" f SET "tags" = k."tags", "updatedAt" = now()
  FROM fresh, known k
  WHERE f."id" = fresh."id" AND fresh.rid = k.rid AND k."tags" <> '{}'::jsonb
  RETURNING 1
)
SELECT (SELECT count(*) FROM copied)::int AS copied,
  (SELECT COALESCE(array_agg(DISTINCT fresh.rid), '{}') FROM fresh WHERE NOT EXISTS (SELECT 1 FROM known k WHERE k.rid = fresh.rid)) AS unknown`;

export async function tagFreshFindings(db: pg.PoolClient, azureTenantId: string, subscriptionIds: string[], since: Date | null): Promise<{ copied: number; unknownResourceIds: string[] }> {
  const result = await db.query<{ copied: number; unknown: string[] }>(FRESH_SQL, [azureTenantId, since?.toISOString() ?? null, subscriptionIds]);
  return { copied: result.rows[0]!.copied, unknownResourceIds: result.rows[0]!.unknown };
}
