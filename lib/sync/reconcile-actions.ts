import "server-only";

// The ServiceNow side of reconciliation: resolving a remediated ticket (with close code and notes that
// say why), noting remediation on a change request, reopening a regressed ticket with a work note, and
// replacing a ticket that cannot be reopened by a new one that references it (through the ticket
// service, so the replacement is created exactly once).
import { type AuditActor } from "@/lib/audit/audit";
import { withTransaction } from "@/lib/db";
import { type ServiceNowConnection, type Ticket } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { ZCreateTicket, type TTicketTable } from "@/lib/schemas/tickets";
import { type ServiceNowClient, type WriteValue } from "@/lib/servicenow";
import { createTickets } from "@/lib/tickets/create";
import { ticketStateLabel } from "@/lib/tickets/states";
import { db } from "@/lib/db";
import { type SyncEventInput, writeSyncEvents } from "./events";
import { type RunReporter } from "./reporter";
import { applyServiceNowRecords, syncFields } from "./ticket-sync";
import { writeStateAndVerify } from "./read-back";
import { type TicketFacts } from "./reconcile-plan";

/** Who the sync engine acts as (audit log, Ticket.createdByType). */
export const SYNC_ACTOR: AuditActor = { type: "system", id: null, name: "PostureDesk sync" };

export type ActionContext = {
  connection: ServiceNowConnection;
  client: ServiceNowClient;
  runId: string;
  reporter?: RunReporter;
};

type TicketRef = Pick<Ticket, "id" | "table" | "sysId" | "number" | "rawState" | "resolvedAt" | "assignmentGroupSysId">;

export const READ = (table: TTicketTable) => ({ fields: syncFields(table), displayValue: "all" as const, excludeReferenceLink: true });

export const date = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ") + " UTC";

export function remediationSummary(facts: Pick<TicketFacts, "findings" | "healthy" | "notApplicable" | "removed">): string {
  const parts = [
    facts.healthy ? `${facts.healthy} healthy` : null,
    facts.notApplicable ? `${facts.notApplicable} not applicable` : null,
    facts.removed ? `${facts.removed} no longer reported (resource removed)` : null,
  ].filter(Boolean);
  return `${facts.findings === 1 ? "The linked Defender for Cloud finding is" : `All ${facts.findings} linked Defender for Cloud findings are`} remediated (${parts.join(", ")}) as of ${date(new Date())}.`;
}

/**
 * State and the fields ServiceNow's data policies require to resolve a record of each table. Problems
 * are not resolved by the sync (problem-actions.ts: ready to resolve), change requests get a work note.
 */
function resolveValues(table: TTicketTable, closeCode: string, notes: string): Record<string, WriteValue> {
  if (table === "incident") return { state: "6", close_code: closeCode, close_notes: notes };
  throw new AppError("INTERNAL", { message: `Tickets of table ${table} are not resolved by the sync` });
}

const REOPEN_STATE: Partial<Record<TTicketTable, string>> = { incident: "2" };

export async function resolveTicket(ctx: ActionContext, ticket: TicketRef, facts: TicketFacts, episode: Date | null): Promise<void> {
  const table = ticket.table as TTicketTable;
  const notes = `Resolved by PostureDesk: ${remediationSummary(facts)}`;
  const values = resolveValues(table, ctx.connection.closeCode, notes);
  await writeStateAndVerify(ctx, ticket, values, {
    write: "resolve",
    state: String(values.state),
    episode,
    applied: { action: "resolved", extra: { episode: episode?.toISOString() ?? null }, message: (number) => `${number} resolved: ${remediationSummary(facts)}` },
  });
}

/** Change requests are never closed by us: their change process decides. A work note tells them. */
export async function noteRemediated(ctx: ActionContext, ticket: TicketRef, facts: TicketFacts, episode: Date | null): Promise<void> {
  const table = ticket.table as TTicketTable;
  const summary = remediationSummary(facts);
  const record = await ctx.client.update(table, ticket.sysId, { work_notes: `PostureDesk: ${summary} The change can be completed through its usual process.` }, READ(table));
  await applyServiceNowRecords({ connection: ctx.connection, runId: ctx.runId, reporter: ctx.reporter }, table, [record]);
  const events: SyncEventInput[] = [
    { action: "resolved", entityType: "ticket", entityId: ticket.number, ticketId: ticket.id, after: { workNote: true, episode: episode?.toISOString() ?? null }, message: `${ticket.number}: remediation noted in a work note (change requests are not closed by PostureDesk). ${summary}` },
  ];
  await writeSyncEvents(ctx.runId, events);
  ctx.reporter?.noteEvents(events);
}

async function regressedNames(findingIds: string[]): Promise<string> {
  const rows = await db().finding.findMany({ where: { id: { in: findingIds } }, select: { resourceName: true, recommendation: { select: { displayName: true } } }, orderBy: { resourceName: "asc" }, take: 10 });
  const names = rows.map((r) => `${r.resourceName} (${r.recommendation.displayName})`).join("; ");
  return findingIds.length > rows.length ? `${names} and ${findingIds.length - rows.length} more` : names;
}

export async function reopenTicket(ctx: ActionContext, ticket: TicketRef, findingIds: string[], episode?: Date | null): Promise<void> {
  const table = ticket.table as TTicketTable;
  const state = REOPEN_STATE[table];
  if (!state) throw new AppError("INTERNAL", { message: `Tickets of table ${table} are not reopened by the sync` });
  const note = `Reopened by PostureDesk: Defender for Cloud reports ${findingIds.length === 1 ? "a finding" : `${findingIds.length} findings`} unhealthy again after this ticket was resolved${ticket.resolvedAt ? ` on ${date(ticket.resolvedAt)}` : ""}: ${await regressedNames(findingIds)}.`;
  await writeStateAndVerify(ctx, ticket, { state, work_notes: note }, {
    write: "reopen",
    state,
    episode: episode ?? null,
    applied: { action: "reopened", extra: { findingIds }, message: (number) => `${number} reopened: ${findingIds.length} finding(s) unhealthy again (regression policy: reopen)` },
  });
}

export const REGRESSION_REASON = (oldTicketId: string) => `regression:${oldTicketId}`;

/**
 * Moves the regressed findings off the old ticket (recorded as `regression:<old id>`, so a run that
 * dies right after still knows what it was doing), then creates their new ticket through the ticket
 * service and marks it as replacing the old one.
 */
export async function replaceTicket(ctx: ActionContext, ticket: TicketRef, findingIds: string[]): Promise<void> {
  await withTransaction(async (client) => {
    const { rows } = await client.query<{ findingId: string }>(
      `UPDATE "TicketLink" SET "activeConnectionId" = NULL, "unlinkedAt" = now(), "unlinkReason" = $3
       WHERE "ticketId" = $1::uuid AND "findingId" = ANY($2::uuid[]) AND "activeConnectionId" IS NOT NULL
       RETURNING "findingId"`,
      [ticket.id, findingIds, REGRESSION_REASON(ticket.id)],
    );
    const events: SyncEventInput[] = rows.map((r) => ({
      action: "unlinked",
      entityType: "finding",
      entityId: r.findingId,
      findingId: r.findingId,
      ticketId: ticket.id,
      before: { ticket: ticket.number, state: ticketStateLabel(ticket.table as TTicketTable, ticket.rawState) },
      message: `Unhealthy again after ${ticket.number} was closed: moved to a new ticket (regression policy)`,
    }));
    await writeSyncEvents(ctx.runId, events, client);
    ctx.reporter?.noteEvents(events);
  });
  await createReplacement(ctx, ticket, findingIds);
}

/** Creates (or finds, if an earlier attempt created it) the ticket replacing `ticket` for the findings. */
export async function createReplacement(ctx: ActionContext, ticket: TicketRef, findingIds: string[]): Promise<void> {
  const table = ticket.table as TTicketTable;
  if (table === "sn_vulc_result_group") return; // CC remediation tasks are ServiceNow's own (read-only)
  const request = ZCreateTicket.parse({
    connectionId: ctx.connection.id,
    type: table,
    findingIds,
    grouping: "single",
    ...(ticket.assignmentGroupSysId ? { assignmentGroup: ticket.assignmentGroupSysId } : {}),
    workNotes: `PostureDesk: regression. Defender for Cloud reports these findings unhealthy again after ${ticket.number} was ${ticket.resolvedAt ? `closed on ${date(ticket.resolvedAt)}` : "closed"}; this ticket replaces ${ticket.number}.`,
  });
  const outcome = await createTickets(SYNC_ACTOR, request, {});
  const created = outcome.tickets[0];
  if (!created) return;
  await db().ticket.updateMany({ where: { id: created.id, replacesTicketId: null }, data: { replacesTicketId: ticket.id } });
}
