import "server-only";

// The Configuration Compliance view for managers (/compliance/cc): per subscription, how many unhealthy
// Defender findings have a failed CC test result (covered), how many have none (gap: ServiceNow's Defender
// integration is missing, behind or scoped to other subscriptions) and how many findings are failed in CC
// while healthy in Defender (disagree); and the remediation tasks with the findings behind them. Counts
// are set-based over Finding ⋈ CcResult; pages are cut in SQL.

import { percent } from "@/lib/compliance/scope";
import { pool } from "@/lib/db";
import { type TCcCoverage, type TCcCoverageQuery, type TCcTaskRow, type TCcTasksQuery } from "@/lib/schemas/compliance-cc";
import { type TPage } from "@/lib/schemas/common";
import { assertRole, type Caller } from "@/lib/auth/authorize";

const LIVE = `JOIN "ServiceNowConnection" s ON s."id" = c."connectionId" AND s."deletedAt" IS NULL AND s."ccEnabled"`;
const FAILED = `SELECT DISTINCT c."findingId" FROM "CcResult" c ${LIVE} WHERE c."findingId" IS NOT NULL AND c."result" = 'Failed' AND c."isActive"`;

const PER = `
  WITH failed AS (${FAILED}),
  per AS (
    SELECT f."subscriptionId",
      count(*) FILTER (WHERE f."status" = 'Unhealthy')::int AS unhealthy,
      count(x."findingId") FILTER (WHERE f."status" = 'Unhealthy')::int AS covered,
      count(x."findingId") FILTER (WHERE f."status" = 'Healthy')::int AS disagree
    FROM "Finding" f
    JOIN "AzureTenant" a ON a."id" = f."azureTenantId" AND a."deletedAt" IS NULL
    LEFT JOIN failed x ON x."findingId" = f."id"
    WHERE f."removedAt" IS NULL AND f."status" IN ('Unhealthy', 'Healthy')
    GROUP BY f."subscriptionId"
  )`;

const PER_SUBSCRIPTION = `${PER}, named AS (
    SELECT per.*, (SELECT s."displayName" FROM "Subscription" s WHERE s."subscriptionId" = per."subscriptionId" ORDER BY s."updatedAt" DESC LIMIT 1) AS "subscriptionName"
    FROM per
  )
  SELECT named.*, count(*) OVER ()::int AS "totalRows"
  FROM named
  WHERE $1::text IS NULL OR named."subscriptionId" ILIKE $1 OR named."subscriptionName" ILIKE $1
  ORDER BY (unhealthy - covered) DESC, disagree DESC, "subscriptionName" NULLS LAST, "subscriptionId"
  LIMIT $2 OFFSET $3`;

const TOTALS = `${PER} SELECT COALESCE(sum(unhealthy), 0)::int AS unhealthy, COALESCE(sum(covered), 0)::int AS covered, COALESCE(sum(disagree), 0)::int AS disagree FROM per`;

type SubRow = {
  subscriptionId: string;
  subscriptionName: string | null;
  unhealthy: number;
  covered: number;
  disagree: number;
  totalRows: number;
};

export async function getCcCoverage(actor: Caller, query: TCcCoverageQuery): Promise<TCcCoverage> {
  assertRole(actor, "manager", "Reading compliance");
  const like = query.q ? `%${query.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : null;
  const [subs, sums, counts, connections] = await Promise.all([
    pool().query<SubRow>(PER_SUBSCRIPTION, [like, query.pageSize, (query.page - 1) * query.pageSize]),
    pool().query<{ unhealthy: number; covered: number; disagree: number }>(TOTALS),
    pool().query<{ results: number; tasks: number }>(
      `SELECT (SELECT count(*) FROM "CcResult" c ${LIVE})::int AS results,
              (SELECT count(*) FROM "CcRemediationTask" c ${LIVE} WHERE c."stateLabel" <> 'Closed')::int AS tasks`,
    ),
    pool().query<{ id: string; name: string; lastDeliveryAt: Date | null; lastReadAt: Date | null }>(
      `SELECT s."id", s."name", s."ccLastDeliveryAt" AS "lastDeliveryAt", (SELECT max(c."readAt") FROM "CcResult" c WHERE c."connectionId" = s."id") AS "lastReadAt"
       FROM "ServiceNowConnection" s WHERE s."deletedAt" IS NULL AND s."ccEnabled" ORDER BY s."name"`,
    ),
  ]);
  const totals = sums.rows[0]!;
  const first = subs.rows[0];
  return {
    totals: { ...totals, gap: totals.unhealthy - totals.covered, results: counts.rows[0]?.results ?? 0, tasks: counts.rows[0]?.tasks ?? 0 },
    connections: connections.rows.map((c) => ({
      id: c.id,
      name: c.name,
      lastDeliveryAt: c.lastDeliveryAt?.toISOString() ?? null,
      lastReadAt: c.lastReadAt?.toISOString() ?? null,
    })),
    subscriptions: {
      items: subs.rows.map((r) => ({
        subscriptionId: r.subscriptionId,
        subscriptionName: r.subscriptionName,
        unhealthy: r.unhealthy,
        covered: r.covered,
        gap: r.unhealthy - r.covered,
        disagree: r.disagree,
        coveragePct: percent(r.covered, r.unhealthy),
      })),
      total: first?.totalRows ?? 0,
      page: query.page,
      pageSize: query.pageSize,
    },
  };
}

/** Findings of one task handed to the ticket dialog at most (the ticket API's own limit). */
const TASK_FINDINGS_MAX = 500;

const TASKS_SQL = `
  SELECT t."id", t."number", t."stateLabel" AS "state", t."url", t."assignmentGroupName" AS "assignmentGroup", t."shortDescription", s."name" AS "connectionName",
    count(DISTINCT c."findingId")::int AS findings,
    count(DISTINCT f."id") FILTER (WHERE f."status" = 'Unhealthy' AND f."removedAt" IS NULL)::int AS unhealthy,
    (array_agg(DISTINCT f."id") FILTER (WHERE f."status" = 'Unhealthy' AND f."removedAt" IS NULL))[1:${TASK_FINDINGS_MAX}] AS "findingIds",
    count(*) OVER ()::int AS "totalRows"
  FROM "CcRemediationTask" t
  JOIN "ServiceNowConnection" s ON s."id" = t."connectionId" AND s."deletedAt" IS NULL AND s."ccEnabled"
  LEFT JOIN "CcResultTask" m ON m."connectionId" = t."connectionId" AND m."taskSysId" = t."sysId"
  LEFT JOIN "CcResult" c ON c."connectionId" = m."connectionId" AND c."sysId" = m."resultSysId"
  LEFT JOIN "Finding" f ON f."id" = c."findingId"
  WHERE $1::text = 'all' OR t."stateLabel" <> 'Closed'
  GROUP BY t."id", s."name"
  ORDER BY unhealthy DESC, t."number"
  LIMIT $2 OFFSET $3`;

export async function listCcTasks(actor: Caller, query: TCcTasksQuery): Promise<TPage<TCcTaskRow>> {
  assertRole(actor, "manager", "Reading compliance");
  const { rows } = await pool().query<TCcTaskRow & { totalRows: number; findingIds: string[] | null }>(TASKS_SQL, [
    query.state,
    query.pageSize,
    (query.page - 1) * query.pageSize,
  ]);
  return {
    items: rows.map(({ totalRows: _total, ...r }) => ({ ...r, findingIds: r.findingIds ?? [] })),
    total:
      rows[0]?.totalRows ??
      (query.page > 1
        ? (
            await pool().query<{ n: number }>(
              `SELECT count(*)::int AS n FROM "CcRemediationTask" c ${LIVE} WHERE $1::text = 'all' OR c."stateLabel" <> 'Closed'`,
              [query.state],
            )
          ).rows[0]!.n
        : 0),
    page: query.page,
    pageSize: query.pageSize,
  };
}
