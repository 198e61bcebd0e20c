import "server-only";

// The daily ComplianceSnapshot: one row per UTC day and subscription with the day's secure score,
// unhealthy findings by severity, ticket counts, coverage, drift and the regulatory standards — so the
// trends of /compliance survive after Defender and ServiceNow have moved on. Written by the sync after
// Defender ingestion (and again at the end of a run, when tickets moved): one INSERT … SELECT, upserted
// on (day, subscription), so writing the same day again just brings that day's row up to date.
import { pool } from "@/lib/db";

const SNAPSHOT_SQL = `
  WITH subs AS (
    SELECT DISTINCT lower(s."subscriptionId") AS sub
    FROM "Subscription" s JOIN "AzureTenant" a ON a."id" = s."azureTenantId" AND a."deletedAt" IS NULL
    WHERE s."included"
  ), counts AS (
    -- One pass over the findings (the CTE below reaches only the linked ones, through the links).
    SELECT lower(f."subscriptionId") AS sub,
      count(*) FILTER (WHERE f."status" = 'Unhealthy' AND f."severity" = 'High')::int AS high,
      count(*) FILTER (WHERE f."status" = 'Unhealthy' AND f."severity" = 'Medium')::int AS medium,
      count(*) FILTER (WHERE f."status" = 'Unhealthy' AND f."severity" = 'Low')::int AS low,
      count(*) FILTER (WHERE f."status" = 'Healthy')::int AS healthy,
      count(*) FILTER (WHERE f."status" = 'NotApplicable')::int AS na
    FROM "Finding" f JOIN "AzureTenant" a ON a."id" = f."azureTenantId" AND a."deletedAt" IS NULL
    WHERE f."removedAt" IS NULL
    GROUP BY 1
  ), linked AS (
    SELECT lower(f."subscriptionId") AS sub, f."id" AS "findingId", f."status", l."module", l."linkedAt", t."id" AS "ticketId", t."state", t."dueDate", t."isDrift"
    FROM "TicketLink" l
    JOIN "Ticket" t ON t."id" = l."ticketId"
    JOIN "Finding" f ON f."id" = l."findingId" AND f."removedAt" IS NULL
    JOIN "AzureTenant" a ON a."id" = f."azureTenantId" AND a."deletedAt" IS NULL
    WHERE l."activeConnectionId" IS NOT NULL
  ), current_ticket AS (
    -- A finding's current ticket, as the recommendations list counts coverage (lib/recommendations/summary.ts).
    SELECT DISTINCT ON ("findingId") sub, "status", "state"
    FROM linked ORDER BY "findingId", ("module" = 'itsm') DESC, ("state" = 'open') DESC, "linkedAt" DESC
  ), covered AS (
    SELECT sub, count(*) FILTER (WHERE "status" = 'Unhealthy' AND "state" = 'open')::int AS n FROM current_ticket GROUP BY sub
  ), tickets AS (
    SELECT sub,
      count(DISTINCT "ticketId") FILTER (WHERE "state" = 'open')::int AS open,
      count(DISTINCT "ticketId") FILTER (WHERE "state" = 'open' AND "dueDate" < now())::int AS overdue,
      count(DISTINCT "ticketId") FILTER (WHERE "isDrift")::int AS drift
    FROM linked GROUP BY sub
  ), scores AS (
    SELECT DISTINCT ON (lower("subscriptionId")) lower("subscriptionId") AS sub, "current", "max", "percentage"
    FROM "SecureScore" WHERE "name" = 'ascScore' ORDER BY lower("subscriptionId"), "updatedAt" DESC
  ), standards AS (
    SELECT lower("subscriptionId") AS sub,
      jsonb_agg(jsonb_build_object('name', "name", 'passed', "passedControls", 'failed', "failedControls", 'skipped', "skippedControls", 'unsupported', "unsupportedControls") ORDER BY "name") AS list
    FROM "RegulatoryStandard" GROUP BY 1
  )
  INSERT INTO "ComplianceSnapshot" ("day", "subscriptionId", "secureScoreCurrent", "secureScoreMax", "secureScorePercent",
    "unhealthyHigh", "unhealthyMedium", "unhealthyLow", "healthy", "notApplicable", "openTickets", "overdueTickets", "coveredUnhealthy", "drift", "standards", "updatedAt")
  SELECT $1::date, subs.sub, scores."current", scores."max",
    CASE WHEN scores."max" > 0 THEN round((100 * scores."current" / scores."max")::numeric, 2)::float8 END,
    COALESCE(counts.high, 0), COALESCE(counts.medium, 0), COALESCE(counts.low, 0), COALESCE(counts.healthy, 0), COALESCE(counts.na, 0),
    COALESCE(tickets.open, 0), COALESCE(tickets.overdue, 0), COALESCE(covered.n, 0), COALESCE(tickets.drift, 0),
    COALESCE(standards.list, '[]'::jsonb), now()
  FROM subs
  LEFT JOIN counts ON counts.sub = subs.sub
  LEFT JOIN tickets ON tickets.sub = subs.sub
  LEFT JOIN covered ON covered.sub = subs.sub
  LEFT JOIN scores ON scores.sub = subs.sub
  LEFT JOIN standards ON standards.sub = subs.sub
  ON CONFLICT ("day", "subscriptionId") DO UPDATE SET
    "secureScoreCurrent" = EXCLUDED."secureScoreCurrent", "secureScoreMax" = EXCLUDED."secureScoreMax", "secureScorePercent" = EXCLUDED."secureScorePercent",
    "unhealthyHigh" = EXCLUDED."unhealthyHigh", "unhealthyMedium" = EXCLUDED."unhealthyMedium", "unhealthyLow" = EXCLUDED."unhealthyLow",
    "healthy" = EXCLUDED."healthy", "notApplicable" = EXCLUDED."notApplicable", "openTickets" = EXCLUDED."openTickets",
    "overdueTickets" = EXCLUDED."overdueTickets", "coveredUnhealthy" = EXCLUDED."coveredUnhealthy", "drift" = EXCLUDED."drift",
    "standards" = EXCLUDED."standards", "updatedAt" = now()`;

/** The UTC calendar day of `at` as YYYY-MM-DD. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * Writes (or brings up to date) the snapshot rows of `day` (default: today, UTC) for every included
 * subscription of the active Azure tenants. Returns how many rows were written.
 */
export async function writeComplianceSnapshot(day: Date | string = new Date()): Promise<number> {
  const value = typeof day === "string" ? day : utcDay(day);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new RangeError(`Not a day: ${value}`);
  const result = await pool().query(SNAPSHOT_SQL, [value]);
  return result.rowCount ?? 0;
}
