import "server-only";

// GET /api/findings: findings (one assessment on one resource) with the same filters as the
// recommendations list plus recommendation, resource group and removed ones; each with its current
// ticket(s) side by side and its governance owner/due date. Two steps: the page of ids (filters and sort
// on Finding, ticket conditions as EXISTS), then the details of those ≤ 500 rows.

import { assertRole, type Caller } from "@/lib/auth/authorize";
import { pool } from "@/lib/db";
import { Params } from "@/lib/recommendations/list-sql";
import { type TPage } from "@/lib/schemas/common";
import { type TFindingSort, type TFindingsQuery, type TFindingDto } from "@/lib/schemas/findings";
import { ccFilterSql, ccOfFindings } from "@/lib/compliance-cc/finding-cc";
import { type DetailRow, type GovernanceRow, type TicketRequestRow, type TicketRow, toFindingDto } from "./dto";

/** A finding's due date: its earliest open current ticket's, else its governance assignment's. */
const DUE = `COALESCE(
  (SELECT min(t."dueDate") FROM "TicketLink" l JOIN "Ticket" t ON t."id" = l."ticketId" WHERE l."findingId" = f."id" AND l."activeConnectionId" IS NOT NULL AND t."state" = 'open'),
  (SELECT min(g."remediationDueDate") FROM "GovernanceAssignment" g WHERE g."findingId" = f."id"))`;

/**
 * `DUE < now()` without computing DUE row by row (two correlated subqueries per finding, ~0.6 s at
 * 70,000 unhealthy findings): the earliest open-ticket due date is before now iff one is, and it is
 * the governance date that counts only when no open ticket has a due date. Uncorrelated IN lists
 * become hashed subplans, each read once.
 */
const OPEN_TICKET_DUE = (cond: string) =>
  `SELECT l."findingId" FROM "TicketLink" l JOIN "Ticket" t ON t."id" = l."ticketId" WHERE l."activeConnectionId" IS NOT NULL AND t."state" = 'open' AND ${cond}`;
const IS_PAST_DUE = `(f."id" IN (${OPEN_TICKET_DUE(`t."dueDate" < now()`)})
  OR (f."id" NOT IN (${OPEN_TICKET_DUE(`t."dueDate" IS NOT NULL`)}) AND f."id" IN (SELECT g."findingId" FROM "GovernanceAssignment" g WHERE g."remediationDueDate" < now())))`;

const HAS_TICKET = `EXISTS (SELECT 1 FROM "TicketLink" l WHERE l."findingId" = f."id" AND l."activeConnectionId" IS NOT NULL)`;

const STATUS_RANK = `CASE f."status" WHEN 'Unhealthy' THEN 0 WHEN 'Healthy' THEN 1 ELSE 2 END`;

const ORDER: Record<TFindingSort, string> = {
  "-severity": `f."severity" ASC, ${STATUS_RANK}, f."resourceName"`,
  severity: `f."severity" DESC, ${STATUS_RANK}, f."resourceName"`,
  resource: `f."resourceName" ASC`,
  "-resource": `f."resourceName" DESC`,
  status: `${STATUS_RANK} ASC, f."severity" ASC`,
  "-status": `${STATUS_RANK} DESC, f."severity" ASC`,
  "-changed": `f."statusChangedAt" DESC NULLS LAST`,
  changed: `f."statusChangedAt" ASC NULLS LAST`,
  firstSeen: `COALESCE(f."firstEvaluationAt", f."firstSeenAt") ASC`,
  "-firstSeen": `COALESCE(f."firstEvaluationAt", f."firstSeenAt") DESC`,
  due: `${DUE} ASC NULLS LAST`,
  "-due": `${DUE} DESC NULLS LAST`,
  recommendation: `r."displayName" ASC, f."resourceName"`,
  "-recommendation": `r."displayName" DESC, f."resourceName"`,
};

function whereOf(query: TFindingsQuery, params: Params): string {
  const where: string[] = [];
  if (!query.includeRemoved) where.push(`f."removedAt" IS NULL`, `EXISTS (SELECT 1 FROM "AzureTenant" a WHERE a."id" = f."azureTenantId" AND a."deletedAt" IS NULL)`);
  if (query.recommendationKey.length) where.push(`f."recommendationKey" = ANY(${params.add(query.recommendationKey.map((k) => k.toLowerCase()))}::text[])`);
  if (query.severity.length) where.push(`f."severity" = ANY(${params.add(query.severity)}::"Severity"[])`);
  if (query.status.length) where.push(`f."status" = ANY(${params.add(query.status)}::"FindingStatus"[])`);
  if (query.subscriptionId.length) where.push(`f."subscriptionId" = ANY(${params.add(query.subscriptionId)}::text[])`);
  if (query.resourceType.length) where.push(`f."resourceType" = ANY(${params.add(query.resourceType.map((t) => t.toLowerCase()))}::text[])`);
  if (query.resourceGroup.length) where.push(`lower(f."resourceGroup") = ANY(${params.add(query.resourceGroup.map((g) => g.toLowerCase()))}::text[])`);
  if (query.category.length) where.push(`r."categories" && ${params.add(query.category)}::text[]`);
  if (query.q) {
    const like = params.add(`%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(f."resourceName" ILIKE ${like} OR f."resourceId" ILIKE ${like} OR r."displayName" ILIKE ${like})`);
  }
  // The finding ids come first, once, from the GIN index on SubAssessment.cves (an init plan), then the
  // findings by primary key. As `f.id IN (subquery)` the planner drove it from a scan of every finding with
  // one sub-assessment lookup each (0.45 s at 20,000 findings; bench/sub-assessments.ts).
  if (query.cve) where.push(`f."id" = ANY(ARRAY(SELECT DISTINCT s."findingId" FROM "SubAssessment" s WHERE s."cves" @> ARRAY[${params.add(query.cve)}]::text[]))`);
  if (query.hasTicket === true) where.push(HAS_TICKET);
  if (query.hasTicket === false) where.push(`NOT ${HAS_TICKET}`);
  if (query.overdue === true) where.push(`f."status" = 'Unhealthy' AND ${IS_PAST_DUE}`);
  if (query.overdue === false) where.push(`NOT (f."status" = 'Unhealthy' AND ${IS_PAST_DUE})`);
  if (query.cc) where.push(ccFilterSql(query.cc));
  return where.length ? `WHERE ${where.join(" AND ")}` : "";
}

export async function listFindings(actor: Caller, query: TFindingsQuery): Promise<TPage<TFindingDto>> {
  assertRole(actor, "manager", "Reading findings");
  const params = new Params();
  const where = whereOf(query, params);
  const from = `FROM "Finding" f JOIN "Recommendation" r ON r."key" = f."recommendationKey" ${where}`;
  const countValues = [...params.values];
  const limit = params.add(query.pageSize);
  const offset = params.add((query.page - 1) * query.pageSize);
  const [page, count] = await Promise.all([
    pool().query<{ id: string }>(`SELECT f."id" ${from} ORDER BY ${ORDER[query.sort]}, f."id" LIMIT ${limit} OFFSET ${offset}`, params.values),
    pool().query<{ n: number }>(`SELECT count(*)::int AS n ${from}`, countValues),
  ]);
  const ids = page.rows.map((r) => r.id);
  return { items: await findingDetails(ids), total: count.rows[0]?.n ?? 0, page: query.page, pageSize: query.pageSize };
}

/** Full DTOs of the given findings, in the given order. */
export async function findingDetails(ids: string[]): Promise<TFindingDto[]> {
  if (ids.length === 0) return [];
  const [rows, tickets, governance, requests, cc] = await Promise.all([
    pool().query<DetailRow>(
      `SELECT f.*, r."displayName" AS "recommendationName",
         (SELECT s."displayName" FROM "Subscription" s WHERE s."subscriptionId" = f."subscriptionId" AND s."azureTenantId" = f."azureTenantId") AS "subscriptionName"
       FROM "Finding" f JOIN "Recommendation" r ON r."key" = f."recommendationKey" WHERE f."id" = ANY($1::uuid[])`,
      [ids],
    ),
    pool().query<TicketRow>(
      `SELECT l."findingId", l."module", l."linkedAt", t."id", t."number", t."url", t."table", t."state", t."rawState", t."assignedToName", t."assignedToEmail",
         t."assignmentGroupName", t."dueDate", t."isDrift", c."name" AS "connectionName"
       FROM "TicketLink" l JOIN "Ticket" t ON t."id" = l."ticketId" JOIN "ServiceNowConnection" c ON c."id" = l."connectionId"
       WHERE l."findingId" = ANY($1::uuid[]) AND l."activeConnectionId" IS NOT NULL
       ORDER BY l."findingId", (l."module" = 'itsm') DESC, (t."state" = 'open') DESC, l."linkedAt" DESC`,
      [ids],
    ),
    pool().query<GovernanceRow>(
      `SELECT DISTINCT ON ("findingId") "findingId", "owner", "remediationDueDate", "isManaged" FROM "GovernanceAssignment"
       WHERE "findingId" = ANY($1::uuid[]) ORDER BY "findingId", "isManaged" DESC, "updatedAt" DESC`,
      [ids],
    ),
    // The latest unfinished or failed ticket request of each finding (a failure is shown for a week).
    pool().query<TicketRequestRow>(
      `SELECT DISTINCT ON (fid) fid AS "findingId", r."id", r."status"::text AS "status", r."table"::text AS "table", r."attempts", r."nextAttemptAt", r."error"
       FROM "TicketRequest" r CROSS JOIN LATERAL unnest(r."findingIds") AS fid
       WHERE r."findingIds" && $1::uuid[] AND fid = ANY($1::uuid[])
         AND (r."status" = 'pending' OR (r."status" = 'failed' AND r."finishedAt" > now() - interval '7 days'))
       ORDER BY fid, r."createdAt" DESC`,
      [ids],
    ),
    ccOfFindings(ids),
  ]);
  const requestOf = new Map(requests.rows.map((r) => [r.findingId, r]));
  const byId = new Map(rows.rows.map((r) => [r.id, r]));
  const ticketsOf = new Map<string, TicketRow[]>();
  for (const t of tickets.rows) ticketsOf.set(t.findingId, [...(ticketsOf.get(t.findingId) ?? []), t]);
  const governanceOf = new Map(governance.rows.map((g) => [g.findingId, g]));
  const now = Date.now();
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toFindingDto(row, ticketsOf.get(id) ?? [], governanceOf.get(id) ?? null, now, requestOf.get(id) ?? null, cc.get(id) ?? null)] : [];
  });
}
