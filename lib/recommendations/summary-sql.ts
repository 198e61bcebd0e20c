import "server-only";

// RecommendationSummary: findings rolled up per (recommendation, subscription, resource type) — plus one
// "*" row per recommendation over all of them — with their ticket coverage, owner and nearest due date:
// what the recommendations list reads, so a request reads a few hundred rows (or groups a few thousand
// when filtered by subscription or resource type) instead of 100,000 findings (docs/PERFORMANCE.md).
// - Ingestion refreshes the recommendations it changed (or all of them after a full pass).
// - Ticket, link and governance writes mark recommendations dirty through triggers (see the migration
//   20261130104826_recommendation_summary); readers refresh dirty ones before answering, so the list is
//   never stale after a ticket change, whoever made it.
// Refreshes are serialized by a transaction-level advisory lock and replace rows in one transaction.
import type pg from "pg";
import { pool, withTransaction } from "@/lib/db";

const LOCK = "posturedesk:recommendation-summary";

/**
 * subscriptionId = resourceType = "*": the recommendation over every subscription and resource type —
 * the unfiltered list (the common request) reads these few hundred rows and gets an exact owner.
 */
export const ALL = "*";

/** The summary rows of the recommendations in `$1` (null = all), computed from findings, tickets and governance. */
const COMPUTE_SQL = `
WITH links AS (
  SELECT l."findingId", l."module", l."linkedAt", t."state", t."dueDate", t."assignedToName", t."isDrift"
  FROM "TicketLink" l
  JOIN "Ticket" t ON t."id" = l."ticketId"
  JOIN "Finding" lf ON lf."id" = l."findingId"
  WHERE l."activeConnectionId" IS NOT NULL AND ($1::text[] IS NULL OR lf."recommendationKey" = ANY($1::text[]))
),
cur AS (
  SELECT DISTINCT ON ("findingId") "findingId", "state", "assignedToName", "isDrift"
  FROM links ORDER BY "findingId", ("module" = 'itsm') DESC, ("state" = 'open') DESC, "linkedAt" DESC
),
open_due AS (
  SELECT "findingId", min("dueDate") AS due FROM links WHERE "state" = 'open' GROUP BY "findingId"
),
gov AS (
  SELECT DISTINCT ON (g."findingId") g."findingId", g."owner", g."remediationDueDate"
  FROM "GovernanceAssignment" g JOIN "Finding" gf ON gf."id" = g."findingId"
  WHERE $1::text[] IS NULL OR gf."recommendationKey" = ANY($1::text[])
  ORDER BY g."findingId", g."isManaged" DESC, g."updatedAt" DESC
),
f AS (
  SELECT f."recommendationKey", f."subscriptionId", f."resourceType", f."severity", f."status",
    cur."state" AS ticket, cur."isDrift" AS drift,
    COALESCE(cur."assignedToName", gov."owner") AS owner,
    COALESCE(open_due.due, gov."remediationDueDate") AS due
  FROM "Finding" f
  JOIN "AzureTenant" a ON a."id" = f."azureTenantId" AND a."deletedAt" IS NULL
  LEFT JOIN cur ON cur."findingId" = f."id"
  LEFT JOIN open_due ON open_due."findingId" = f."id"
  LEFT JOIN gov ON gov."findingId" = f."id"
  WHERE f."removedAt" IS NULL AND ($1::text[] IS NULL OR f."recommendationKey" = ANY($1::text[]))
)
SELECT "recommendationKey", COALESCE("subscriptionId", '${ALL}') AS "subscriptionId", COALESCE("resourceType", '${ALL}') AS "resourceType", min("severity") AS "severity",
  count(*)::int AS "total",
  count(*) FILTER (WHERE "status" = 'Unhealthy')::int AS "unhealthy",
  count(*) FILTER (WHERE "status" = 'Healthy')::int AS "healthy",
  count(*) FILTER (WHERE "status" = 'NotApplicable')::int AS "notApplicable",
  count(*) FILTER (WHERE "ticket" = 'open')::int AS "ticketOpen",
  count(*) FILTER (WHERE "ticket" IN ('resolved', 'closed', 'canceled'))::int AS "ticketResolved",
  count(*) FILTER (WHERE "status" = 'Unhealthy' AND "ticket" = 'open')::int AS "unhealthyCovered",
  count(*) FILTER (WHERE "status" = 'Unhealthy' AND "ticket" IS NULL)::int AS "unhealthyNoTicket",
  count(*) FILTER (WHERE "status" = 'Unhealthy' AND "drift")::int AS "drift",
  min("due") FILTER (WHERE "status" = 'Unhealthy') AS "nearestDueAt",
  mode() WITHIN GROUP (ORDER BY "owner") FILTER (WHERE "status" = 'Unhealthy' AND "owner" IS NOT NULL) AS "owner",
  count(*) FILTER (WHERE "status" = 'Unhealthy' AND "owner" IS NOT NULL)::int AS "ownerFindings"
FROM f
GROUP BY GROUPING SETS (("recommendationKey", "subscriptionId", "resourceType"), ("recommendationKey"))`;

const COLUMNS = `"recommendationKey", "subscriptionId", "resourceType", "severity", "total", "unhealthy", "healthy", "notApplicable", "ticketOpen", "ticketResolved",
  "unhealthyCovered", "unhealthyNoTicket", "drift", "nearestDueAt", "owner", "ownerFindings"`;

/** A transaction holding the summary lock (one rewrite at a time). */
function inTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [LOCK]);
    return fn(client);
  });
}

async function rewrite(client: pg.PoolClient, keys: string[] | null): Promise<number> {
  await client.query(`DELETE FROM "RecommendationSummary" WHERE $1::text[] IS NULL OR "recommendationKey" = ANY($1::text[])`, [keys]);
  const inserted = await client.query(`INSERT INTO "RecommendationSummary" (${COLUMNS}) SELECT ${COLUMNS} FROM (${COMPUTE_SQL}) x`, [keys]);
  return inserted.rowCount ?? 0;
}

/** Recomputes the summary of `keys` (all recommendations when omitted). Returns the rows written. */
export async function refreshRecommendationSummaries(options: { keys?: string[] } = {}): Promise<number> {
  const keys = options.keys ? [...new Set(options.keys)] : null;
  if (keys && keys.length === 0) return 0;
  return inTransaction(async (client) => {
    // These keys are recomputed now: their dirty markers are consumed too.
    await client.query(`DELETE FROM "RecommendationSummaryDirty" WHERE $1::text[] IS NULL OR "recommendationKey" = ANY($1::text[])`, [
      keys,
    ]);
    return rewrite(client, keys);
  });
}

// trigger: rows reach RecommendationSummaryDirty from AFTER triggers on TicketLink, GovernanceAssignment and
// Ticket (prisma/migrations/20261130104826_recommendation_summary), not from our code: writers of those
// tables need not mark anything, and this refresh is what makes the marks visible in the lists.
/** Recomputes the recommendations marked dirty by ticket, link or governance changes (cheap when none); returns how many. */
export async function refreshDirtySummaries(): Promise<number> {
  const pending = await pool().query(`SELECT EXISTS (SELECT 1 FROM "RecommendationSummaryDirty") AS "isDirty"`);
  if (!pending.rows[0]?.isDirty) return 0;
  return inTransaction(async (client) => {
    const taken = await client.query<{ recommendationKey: string }>(
      `DELETE FROM "RecommendationSummaryDirty" RETURNING "recommendationKey"`,
    );
    if (taken.rows.length === 0) return 0; // another reader refreshed them while we waited for the lock
    await rewrite(
      client,
      taken.rows.map((r) => r.recommendationKey),
    );
    return taken.rows.length;
  });
}
