import "server-only";

// GET /api/recommendations: one row per recommendation with its counts, ticket coverage, owner and
// nearest due date, read from RecommendationSummary (a few thousand rows at 100,000 findings) rather
// than from Finding. Dirty summaries (ticket changes since the last refresh) are refreshed first: the
// database's *_summary_dirty triggers on TicketLink, GovernanceAssignment and Ticket mark them (migration
// 20261130104826_recommendation_summary), so a write anywhere shows here without the writer knowing.

import { assertRole, type Caller } from "@/lib/auth/authorize";
import { pool } from "@/lib/db";
import { type TPage } from "@/lib/schemas/common";
import { type TRecommendationRow, type TRecommendationSort, type TRecommendationsQuery } from "@/lib/schemas/recommendations";
import { ALL, refreshDirtySummaries } from "./summary-sql";

/** A recommendation's aggregate as SQL returns it: the row's own fields, ticket counts flat, dates as dates. */
export type AggregateRow = Omit<TRecommendationRow, "tickets" | "nearestDueAt" | "isOverdue"> & {
  ticketOpen: number;
  ticketResolved: number;
  covered: number;
  noTicket: number;
  drift: number;
  nearestDueAt: Date | null;
  totalCount?: string;
};

/** Builds "$n" placeholders while collecting the values. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const SEVERITY_RANK = `CASE r."severity" WHEN 'High' THEN 3 WHEN 'Medium' THEN 2 ELSE 1 END`;

const ORDER: Record<TRecommendationSort, string> = {
  "-severity": `${SEVERITY_RANK} DESC, "unhealthy" DESC`,
  severity: `${SEVERITY_RANK} ASC, "unhealthy" DESC`,
  name: `r."displayName" ASC`,
  "-name": `r."displayName" DESC`,
  "-unhealthy": `"unhealthy" DESC, ${SEVERITY_RANK} DESC`,
  unhealthy: `"unhealthy" ASC, ${SEVERITY_RANK} DESC`,
  "-total": `"total" DESC`,
  total: `"total" ASC`,
  coverage: `"coverage" ASC NULLS LAST, "unhealthy" DESC`,
  "-coverage": `"coverage" DESC NULLS LAST, "unhealthy" DESC`,
  due: `"nearestDueAt" ASC NULLS LAST`,
  "-due": `"nearestDueAt" DESC NULLS LAST`,
};

/** The aggregate query shared by the list and the detail: filters on summary rows, then on recommendations. */
export function aggregateSql(query: Partial<TRecommendationsQuery> & { keys?: string[] }, params: Params): string {
  const inner: string[] = [];
  const isAll = !query.subscriptionId?.length && !query.resourceType?.length;
  if (isAll) {
    // Unfiltered by scope: the precomputed "*" rows, one per recommendation (nothing to group).
    inner.push(`s."subscriptionId" = '${ALL}' AND s."resourceType" = '${ALL}'`);
  } else {
    inner.push(`s."subscriptionId" <> '${ALL}' AND s."resourceType" <> '${ALL}'`);
    if (query.subscriptionId?.length) inner.push(`s."subscriptionId" = ANY(${params.add(query.subscriptionId)}::text[])`);
    if (query.resourceType?.length)
      inner.push(`s."resourceType" = ANY(${params.add(query.resourceType.map((t) => t.toLowerCase()))}::text[])`);
  }
  if (query.severity?.length) inner.push(`s."severity" = ANY(${params.add(query.severity)}::"Severity"[])`);
  if (query.keys?.length) inner.push(`s."recommendationKey" = ANY(${params.add(query.keys)}::text[])`);

  const outer: string[] = [];
  if (query.q) {
    const like = params.add(`%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    outer.push(`(r."displayName" ILIKE ${like} OR r."key" ILIKE ${like})`);
  }
  if (query.category?.length) outer.push(`r."categories" && ${params.add(query.category)}::text[]`);
  if (query.status?.length)
    outer.push(
      `(CASE WHEN a."unhealthy" > 0 THEN 'Unhealthy' WHEN a."healthy" > 0 THEN 'Healthy' ELSE 'NotApplicable' END) = ANY(${params.add(query.status)}::text[])`,
    );
  if (query.hasTicket === true) outer.push(`(a."ticketOpen" + a."ticketResolved") > 0`);
  if (query.hasTicket === false) outer.push(`(a."ticketOpen" + a."ticketResolved") = 0`);
  if (query.overdue === true) outer.push(`a."nearestDueAt" < now()`);
  if (query.overdue === false) outer.push(`(a."nearestDueAt" IS NULL OR a."nearestDueAt" >= now())`);

  const a = isAll
    ? `SELECT s."recommendationKey" AS key, s."total", s."unhealthy", s."healthy", s."notApplicable", s."ticketOpen", s."ticketResolved",
         s."unhealthyCovered" AS "covered", s."unhealthyNoTicket" AS "noTicket", s."drift", s."nearestDueAt", s."owner"
       FROM "RecommendationSummary" s WHERE ${inner.join(" AND ")}`
    : `SELECT s."recommendationKey" AS key,
        sum(s."total")::int AS "total", sum(s."unhealthy")::int AS "unhealthy", sum(s."healthy")::int AS "healthy", sum(s."notApplicable")::int AS "notApplicable",
        sum(s."ticketOpen")::int AS "ticketOpen", sum(s."ticketResolved")::int AS "ticketResolved", sum(s."unhealthyCovered")::int AS "covered",
        sum(s."unhealthyNoTicket")::int AS "noTicket", sum(s."drift")::int AS "drift", min(s."nearestDueAt") AS "nearestDueAt",
        (array_agg(s."owner" ORDER BY s."ownerFindings" DESC) FILTER (WHERE s."owner" IS NOT NULL))[1] AS "owner"
      FROM "RecommendationSummary" s
      WHERE ${inner.join(" AND ")}
      GROUP BY 1`;
  return `
    WITH a AS (${a})
    SELECT r."key", r."displayName", r."severity", r."categories", r."isPreview", r."isPlaceholder",
      a."total", a."unhealthy", a."healthy", a."notApplicable", a."ticketOpen", a."ticketResolved", a."covered", a."noTicket", a."drift", a."nearestDueAt", a."owner",
      CASE WHEN a."unhealthy" > 0 THEN 'Unhealthy' WHEN a."healthy" > 0 THEN 'Healthy' ELSE 'NotApplicable' END AS "status",
      CASE WHEN a."unhealthy" > 0 THEN a."covered"::float8 / a."unhealthy" END AS "coverage"
    FROM a JOIN "Recommendation" r ON r."key" = a.key
    ${outer.length ? `WHERE ${outer.join(" AND ")}` : ""}`;
}

export function toRecommendationRow(r: AggregateRow, now = Date.now()): TRecommendationRow {
  return {
    key: r.key,
    displayName: r.displayName,
    severity: r.severity,
    categories: r.categories,
    isPreview: r.isPreview,
    isPlaceholder: r.isPlaceholder,
    status: r.status,
    total: r.total,
    unhealthy: r.unhealthy,
    healthy: r.healthy,
    notApplicable: r.notApplicable,
    tickets: { open: r.ticketOpen, resolved: r.ticketResolved, none: r.noTicket, drift: r.drift },
    coverage: r.coverage,
    owner: r.owner,
    nearestDueAt: r.nearestDueAt?.toISOString() ?? null,
    isOverdue: r.nearestDueAt !== null && r.nearestDueAt.getTime() < now,
  };
}

export async function listRecommendations(actor: Caller, query: TRecommendationsQuery): Promise<TPage<TRecommendationRow>> {
  assertRole(actor, "manager", "Reading recommendations");
  const params = new Params();
  const base = aggregateSql(query, params);
  const limit = params.add(query.pageSize);
  const offset = params.add((query.page - 1) * query.pageSize);
  // The window count costs nothing here (a few hundred recommendations at most) and saves a round trip;
  // so does asking, in the same statement, whether ticket changes left summaries to refresh.
  const sql = `SELECT x.*, count(*) OVER () AS "totalCount", EXISTS (SELECT 1 FROM "RecommendationSummaryDirty") AS "isDirty"
    FROM (${base}) x ORDER BY ${ORDER[query.sort].replaceAll('r."', 'x."')}, x."key" LIMIT ${limit} OFFSET ${offset}`;
  let result = await pool().query<AggregateRow & { isDirty: boolean }>(sql, params.values);
  if ((result.rows.length === 0 || result.rows[0]!.isDirty) && (await refreshDirtySummaries()) > 0) {
    result = await pool().query<AggregateRow & { isDirty: boolean }>(sql, params.values);
  }
  let total = Number(result.rows[0]?.totalCount ?? 0);
  if (result.rows.length === 0 && query.page > 1) {
    // Past the last page: the window saw no rows, so count separately.
    const countParams = new Params();
    const counted = await pool().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (${aggregateSql(query, countParams)}) x`,
      countParams.values,
    );
    total = counted.rows[0]?.n ?? 0;
  }
  return { items: result.rows.map((r) => toRecommendationRow(r)), total, page: query.page, pageSize: query.pageSize };
}
