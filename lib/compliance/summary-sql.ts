import "server-only";
import { pool } from "@/lib/db";
import { refreshDirtySummaries } from "@/lib/recommendations/summary-sql";
import { type TComplianceDay, type TComplianceSummary } from "@/lib/schemas/compliance";
import { listSubscriptions, percent } from "./scope";

// The SQL of summary.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

export const FINDINGS_SQL = `
  SELECT
    COALESCE(sum("unhealthy") FILTER (WHERE "severity" = 'High'), 0)::int AS high,
    COALESCE(sum("unhealthy") FILTER (WHERE "severity" = 'Medium'), 0)::int AS medium,
    COALESCE(sum("unhealthy") FILTER (WHERE "severity" = 'Low'), 0)::int AS low,
    COALESCE(sum("unhealthy"), 0)::int AS unhealthy, COALESCE(sum("healthy"), 0)::int AS healthy,
    COALESCE(sum("notApplicable"), 0)::int AS "notApplicable", COALESCE(sum("unhealthyCovered"), 0)::int AS covered
  FROM "RecommendationSummary"
  WHERE CASE WHEN $1::text IS NULL THEN "subscriptionId" = '*' AND "resourceType" = '*' ELSE "subscriptionId" = $1 END`;

/**
 * Tickets actively linked to findings (of the subscription): all of them is one pass over the links;
 * one subscription starts from its findings (index on subscriptionId) and collects their tickets.
 */
export const TICKETS_SQL = `
  WITH scoped AS (
    SELECT DISTINCT l."ticketId" FROM "TicketLink" l
    WHERE l."activeConnectionId" IS NOT NULL
      AND ($1::text IS NULL OR l."findingId" IN (SELECT f."id" FROM "Finding" f WHERE f."subscriptionId" = $1 AND f."removedAt" IS NULL))
  )
  SELECT count(*) FILTER (WHERE t."state" = 'open')::int AS open,
    count(*) FILTER (WHERE t."state" = 'open' AND t."dueDate" < now())::int AS overdue,
    count(*) FILTER (WHERE t."isDrift")::int AS drift
  FROM scoped JOIN "Ticket" t ON t."id" = scoped."ticketId"`;

export const SCORES_SQL = `
  SELECT DISTINCT ON (lower(s."subscriptionId")) lower(s."subscriptionId") AS "subscriptionId", s."current", s."max"
  FROM "SecureScore" s
  WHERE s."name" = 'ascScore' AND ($1::text IS NULL OR lower(s."subscriptionId") = $1)
  ORDER BY lower(s."subscriptionId"), s."updatedAt" DESC`;

export const TREND_SQL = `
  SELECT to_char("day", 'YYYY-MM-DD') AS day,
    sum("secureScoreCurrent") AS current, sum("secureScoreMax") AS max,
    sum("unhealthyHigh")::int AS high, sum("unhealthyMedium")::int AS medium, sum("unhealthyLow")::int AS low,
    sum("coveredUnhealthy")::int AS covered, sum("openTickets")::int AS open, sum("overdueTickets")::int AS overdue, sum("drift")::int AS drift
  FROM "ComplianceSnapshot"
  WHERE "day" BETWEEN $2::date AND $3::date AND ($1::text IS NULL OR "subscriptionId" = $1)
  GROUP BY "day" ORDER BY "day"`;

export type TrendRow = {
  day: string;
  current: number | null;
  max: number | null;
  high: number;
  medium: number;
  low: number;
  covered: number;
  open: number;
  overdue: number;
  drift: number;
};

export function toDay(r: TrendRow): TComplianceDay {
  const unhealthy = r.high + r.medium + r.low;
  return {
    day: r.day,
    scorePercent: r.current !== null && r.max ? percent(Number(r.current), Number(r.max)) : null,
    high: r.high,
    medium: r.medium,
    low: r.low,
    coveredUnhealthy: r.covered,
    coveragePercent: percent(r.covered, unhealthy),
    openTickets: r.open,
    overdueTickets: r.overdue,
    drift: r.drift,
  };
}

export type Posture = Pick<
  TComplianceSummary,
  "subscriptions" | "secureScore" | "scoreBySubscription" | "findings" | "coverage" | "tickets"
>;

/** Today's numbers (secure score, findings, coverage, tickets) for a subscription or all of them. */
export async function currentPosture(subscriptionId: string | null): Promise<Posture> {
  // Ticket changes since the last refresh (marked by triggers) are folded in first, as the recommendations list does.
  await refreshDirtySummaries();
  const [subscriptions, findings, tickets, scores] = await Promise.all([
    listSubscriptions(),
    pool().query<{ high: number; medium: number; low: number; unhealthy: number; healthy: number; notApplicable: number; covered: number }>(
      FINDINGS_SQL,
      [subscriptionId],
    ),
    pool().query<{ open: number; overdue: number; drift: number }>(TICKETS_SQL, [subscriptionId]),
    pool().query<{ subscriptionId: string; current: number; max: number }>(SCORES_SQL, [subscriptionId]),
  ]);
  const names = new Map(subscriptions.map((s) => [s.subscriptionId, s.displayName]));
  const scoreBySubscription = scores.rows
    .map((s) => ({
      subscriptionId: s.subscriptionId,
      displayName: names.get(s.subscriptionId) ?? s.subscriptionId,
      current: s.current,
      max: s.max,
      percent: percent(s.current, s.max),
    }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
  const total = scoreBySubscription.reduce((acc, s) => ({ current: acc.current + s.current, max: acc.max + s.max }), {
    current: 0,
    max: 0,
  });
  const f = findings.rows[0]!;
  return {
    subscriptions,
    secureScore: scoreBySubscription.length
      ? { current: Math.round(total.current * 100) / 100, max: total.max, percent: percent(total.current, total.max) }
      : null,
    scoreBySubscription,
    findings: { high: f.high, medium: f.medium, low: f.low, unhealthy: f.unhealthy, healthy: f.healthy, notApplicable: f.notApplicable },
    coverage: { unhealthy: f.unhealthy, covered: f.covered, percent: percent(f.covered, f.unhealthy) },
    tickets: tickets.rows[0]!,
  };
}

/** The daily trend of the range (summed over the subscriptions in scope). */
export async function trendOf(subscriptionId: string | null, from: string, to: string): Promise<TComplianceDay[]> {
  const { rows } = await pool().query<TrendRow>(TREND_SQL, [subscriptionId, from, to]);
  return rows.map(toDay);
}
