import "server-only";

// The /api/tickets page in plain SQL through the pool: at 10,000 tickets the ORM's per-query work was
// most of a request whose queries take a few milliseconds (docs/PERFORMANCE.md, list APIs). Same
// filters, sort and rows as the Prisma version it replaces (TicketRow, so toTicketDto is shared).
import { pool } from "@/lib/db";
import { type Ticket } from "@/lib/generated/prisma/client";
import { Params } from "@/lib/recommendations/list-sql";
import { type TTicketsQuery } from "@/lib/schemas/tickets";
import { type TicketRow } from "./dto";

const SORT_COLUMN = { createdAt: `t."createdAt"`, dueDate: `t."dueDate"`, number: `t."number"`, updatedAt: `t."updatedAt"` } as const;

function whereOf(q: TTicketsQuery, now: Date, params: Params): string {
  const and: string[] = [];
  if (q.connectionId) and.push(`t."connectionId" = ${params.add(q.connectionId)}::uuid`);
  if (q.state.length) and.push(`t."state" = ANY(${params.add(q.state)}::"TicketState"[])`);
  if (q.type.length) and.push(`t."table" = ANY(${params.add(q.type)}::"TicketTable"[])`);
  if (q.overdue === true) and.push(`t."state" = 'open' AND t."dueDate" < ${params.add(now)}::timestamptz`);
  if (q.overdue === false) and.push(`(t."state" <> 'open' OR t."dueDate" IS NULL OR t."dueDate" >= ${params.add(now)}::timestamptz)`);
  if (q.drift !== undefined) and.push(`t."isDrift" = ${params.add(q.drift)}`);
  if (q.findingId)
    and.push(`EXISTS (SELECT 1 FROM "TicketLink" l WHERE l."ticketId" = t."id" AND l."findingId" = ${params.add(q.findingId)}::uuid)`);
  if (q.q) {
    const like = params.add(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    and.push(
      `(t."number" ILIKE ${like} OR t."shortDescription" ILIKE ${like} OR t."assignedToName" ILIKE ${like} OR t."assignmentGroupName" ILIKE ${like})`,
    );
  }
  return and.length ? `WHERE ${and.join(" AND ")}` : "";
}

function orderOf(sort: TTicketsQuery["sort"]): string {
  const isDescending = sort.startsWith("-");
  const column = SORT_COLUMN[sort.replace(/^-/, "") as keyof typeof SORT_COLUMN];
  // Tickets without a due date go last whichever way due dates are sorted; id breaks ties for stable pages.
  return `${column} ${isDescending ? "DESC" : "ASC"}${column === SORT_COLUMN.dueDate ? " NULLS LAST" : ""}, t."id" ASC`;
}

type Row = Ticket & { connectionName: string; connectionDeletedAt: Date | null; linkCount: number };

/** One page of tickets (with their connection and active link count) and the number matching. */
export async function ticketPage(q: TTicketsQuery, now: Date): Promise<{ rows: TicketRow[]; total: number }> {
  const params = new Params();
  const where = whereOf(q, now, params);
  const countValues = [...params.values];
  // The active link count as a subquery of the page (one index probe per row), not a third statement after it.
  const sql = `SELECT t.*, c."name" AS "connectionName", c."deletedAt" AS "connectionDeletedAt",
      (SELECT count(*)::int FROM "TicketLink" l WHERE l."ticketId" = t."id" AND l."activeConnectionId" IS NOT NULL) AS "linkCount"
    FROM "Ticket" t JOIN "ServiceNowConnection" c ON c."id" = t."connectionId" ${where}
    ORDER BY ${orderOf(q.sort)} LIMIT ${params.add(q.pageSize)} OFFSET ${params.add((q.page - 1) * q.pageSize)}`;
  const [page, count] = await Promise.all([
    pool().query<Row>(sql, params.values),
    pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM "Ticket" t ${where}`, countValues),
  ]);
  const rows = page.rows.map(({ connectionName, connectionDeletedAt, linkCount, ...t }) => ({
    ...t,
    connection: { id: t.connectionId, name: connectionName, deletedAt: connectionDeletedAt },
    _count: { links: linkCount },
  }));
  return { rows, total: count.rows[0]?.n ?? 0 };
}
