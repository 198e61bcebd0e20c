import "server-only";

// ServiceNow records → our Ticket rows: what changed is written set-based, together with its
// SyncEvents, in one transaction. Records we do not know (another integration's, or ours whose
// database write was lost before a crash — the ticket service finds those by correlation id and links
// them on its next attempt) are left alone.
import { withTransaction } from "@/lib/db";
import { db } from "@/lib/db";
import { type ServiceNowConnection, type Ticket } from "@/lib/generated/prisma/client";
import { type TTicketTable } from "@/lib/schemas/tickets";
import { cellValue, parseServiceNowDateTime, type ServiceNowRecord } from "@/lib/servicenow";
import { recordFields, ticketColumnsOf } from "@/lib/tickets/record";
import { ticketStateLabel } from "@/lib/tickets/states";
import { type SyncEventInput, writeSyncEvents } from "./events";
import { type RunReporter } from "./reporter-sql";
import { UPDATE_TICKETS_SQL } from "./ticket-sync-sql";
import { describeDiff, diffTicket, resolvedAtOf, type TicketSnapshot } from "./ticket-diff";

/** Fields read from ServiceNow for a ticket: the ticket service's, plus when it was resolved or closed. */
export function syncFields(table: TTicketTable): string[] {
  const extra = table === "change_request" ? ["closed_at"] : ["resolved_at", "closed_at"];
  return [...recordFields(table), ...extra];
}

export type ApplyContext = {
  connection: Pick<ServiceNowConnection, "id" | "instanceUrl">;
  runId: string;
  reporter?: RunReporter;
};

export type ApplyOptions = {
  /** Our own write (resolve, reopen): the event's action and message. */
  action?: "resolved" | "reopened" | "updated";
  message?: (number: string, changed: string[]) => string;
  /** Extra data of the event (e.g. the remediation episode a resolution belongs to). */
  extra?: Record<string, unknown>;
};

export type AppliedTicket = { ticketId: string; number: string; changed: string[]; state: Ticket["state"] };
export type ApplyResult = { applied: AppliedTicket[]; unknown: number; unchanged: number; newest: Date | null };

function snapshotOf(table: TTicketTable, t: Omit<TicketSnapshot, "stateLabel">): TicketSnapshot {
  return { ...t, stateLabel: ticketStateLabel(table, t.rawState) };
}

/** Applies records of one table (all of them current reads from the instance). */
export async function applyServiceNowRecords(
  ctx: ApplyContext,
  table: TTicketTable,
  records: ServiceNowRecord[],
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const result: ApplyResult = { applied: [], unknown: 0, unchanged: 0, newest: null };
  if (records.length === 0) return result;
  const sysIds = records.map((r) => cellValue(r.sys_id)).filter(Boolean);
  const rows = await db().ticket.findMany({ where: { connectionId: ctx.connection.id, sysId: { in: sysIds } } });
  const bySysId = new Map(rows.map((r) => [r.sysId, r]));

  const updates: Array<{ id: string; next: TicketSnapshot }> = [];
  const events: SyncEventInput[] = [];
  for (const record of records) {
    const columns = ticketColumnsOf(ctx.connection.instanceUrl, table, record);
    if (columns.snUpdatedAt && (!result.newest || columns.snUpdatedAt > result.newest)) result.newest = columns.snUpdatedAt;
    const row = bySysId.get(columns.sysId);
    if (!row || row.table !== table) {
      result.unknown++;
      continue;
    }
    // A record older than what we hold (our own write landed after this read) changes nothing.
    if (row.snUpdatedAt && columns.snUpdatedAt && columns.snUpdatedAt < row.snUpdatedAt) {
      result.unchanged++;
      continue;
    }
    const current = snapshotOf(table, row);
    const next = snapshotOf(table, {
      ...columns,
      number: columns.number || row.number,
      resolvedAt: resolvedAtOf(row, columns.state, {
        resolvedAt: parseServiceNowDateTime(cellValue(record.resolved_at)),
        closedAt: parseServiceNowDateTime(cellValue(record.closed_at)),
        updatedAt: columns.snUpdatedAt,
      }),
    });
    const diff = diffTicket(current, next);
    if (!diff.isWriteNeeded) {
      result.unchanged++;
      continue;
    }
    updates.push({ id: row.id, next });
    result.applied.push({ ticketId: row.id, number: next.number, changed: diff.changed, state: next.state });
    if (diff.changed.length > 0 || options.action) {
      const action = options.action ?? "updated";
      events.push({
        action,
        entityType: "ticket",
        entityId: next.number,
        ticketId: row.id,
        before: diff.before,
        after: { ...diff.after, ...options.extra },
        message: options.message ? options.message(next.number, diff.changed) : describeDiff(next.number, diff),
      });
    }
  }
  if (updates.length === 0) return result;
  const col = <K extends keyof TicketSnapshot>(k: K) => updates.map((u) => u.next[k]);
  const dates = (k: "dueDate" | "snUpdatedAt" | "resolvedAt") => updates.map((u) => u.next[k]?.toISOString() ?? null);
  await withTransaction(async (client) => {
    await client.query(UPDATE_TICKETS_SQL, [
      updates.map((u) => u.id),
      col("number"),
      col("rawState"),
      col("state"),
      col("priority"),
      col("impact"),
      col("urgency"),
      col("shortDescription"),
      col("assignedToSysId"),
      col("assignedToName"),
      col("assignedToEmail"),
      col("assignmentGroupSysId"),
      col("assignmentGroupName"),
      dates("dueDate"),
      dates("snUpdatedAt"),
      dates("resolvedAt"),
    ]);
    await writeSyncEvents(ctx.runId, events, client);
  });
  ctx.reporter?.noteEvents(events);
  return result;
}
