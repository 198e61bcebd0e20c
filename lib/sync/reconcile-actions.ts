import "server-only";

// The ServiceNow side of reconciliation: resolving a remediated ticket (with close code and notes that
// say why), noting remediation on a change request, reopening a regressed ticket with a work note, and
// replacing a ticket that cannot be reopened by a new one that references it (through the ticket
// service, so the replacement is created exactly once).
import { AppError } from "@/lib/http/errors";
import { type TTicketTable } from "@/lib/schemas/tickets";
import { type WriteValue } from "@/lib/servicenow";
import { db } from "@/lib/db";
import { type SyncEventInput, writeSyncEvents } from "./events";
import { applyServiceNowRecords, syncFields } from "./ticket-sync";
import { writeStateAndVerify } from "./read-back";
import { type TicketFacts } from "./reconcile-plan";
import { date, type ActionContext, type TicketRef } from "./reconcile-actions-sql";
export { SYNC_ACTOR, date, REGRESSION_REASON, replaceTicket, createReplacement, type ActionContext } from "./reconcile-actions-sql";

export const READ = (table: TTicketTable) => ({ fields: syncFields(table), displayValue: "all" as const, excludeReferenceLink: true });

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
    applied: {
      action: "resolved",
      extra: { episode: episode?.toISOString() ?? null },
      message: (number) => `${number} resolved: ${remediationSummary(facts)}`,
    },
  });
}

/** Change requests are never closed by us: their change process decides. A work note tells them. */
export async function noteRemediated(ctx: ActionContext, ticket: TicketRef, facts: TicketFacts, episode: Date | null): Promise<void> {
  const table = ticket.table as TTicketTable;
  const summary = remediationSummary(facts);
  const record = await ctx.client.update(
    table,
    ticket.sysId,
    { work_notes: `PostureDesk: ${summary} The change can be completed through its usual process.` },
    READ(table),
  );
  await applyServiceNowRecords({ connection: ctx.connection, runId: ctx.runId, reporter: ctx.reporter }, table, [record]);
  const events: SyncEventInput[] = [
    {
      action: "resolved",
      entityType: "ticket",
      entityId: ticket.number,
      ticketId: ticket.id,
      after: { workNote: true, episode: episode?.toISOString() ?? null },
      message: `${ticket.number}: remediation noted in a work note (change requests are not closed by PostureDesk). ${summary}`,
    },
  ];
  await writeSyncEvents(ctx.runId, events);
  ctx.reporter?.noteEvents(events);
}

async function regressedNames(findingIds: string[]): Promise<string> {
  const rows = await db().finding.findMany({
    where: { id: { in: findingIds } },
    select: { resourceName: true, recommendation: { select: { displayName: true } } },
    orderBy: { resourceName: "asc" },
    take: 10,
  });
  const names = rows.map((r) => `${r.resourceName} (${r.recommendation.displayName})`).join("; ");
  return findingIds.length > rows.length ? `${names} and ${findingIds.length - rows.length} more` : names;
}

export async function reopenTicket(ctx: ActionContext, ticket: TicketRef, findingIds: string[], episode?: Date | null): Promise<void> {
  const table = ticket.table as TTicketTable;
  const state = REOPEN_STATE[table];
  if (!state) throw new AppError("INTERNAL", { message: `Tickets of table ${table} are not reopened by the sync` });
  const note = `Reopened by PostureDesk: Defender for Cloud reports ${findingIds.length === 1 ? "a finding" : `${findingIds.length} findings`} unhealthy again after this ticket was resolved${ticket.resolvedAt ? ` on ${date(ticket.resolvedAt)}` : ""}: ${await regressedNames(findingIds)}.`;
  await writeStateAndVerify(
    ctx,
    ticket,
    { state, work_notes: note },
    {
      write: "reopen",
      state,
      episode: episode ?? null,
      applied: {
        action: "reopened",
        extra: { findingIds },
        message: (number) => `${number} reopened: ${findingIds.length} finding(s) unhealthy again (regression policy: reopen)`,
      },
    },
  );
}
