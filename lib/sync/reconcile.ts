import "server-only";

// Reconcile (docs/DESIGN.md §4.3) over the connection's tickets and the findings actively linked to them:
// facts gathered in one set-based query, a plan per ticket (reconcile-plan.ts), ServiceNow writes for
// the tickets that need one (a few at a time), drift flags set or cleared set-based, then governance
// assignments brought in line with the tickets. Each failed item is an error event and a retry item;
// the next run re-evaluates it from fresh state, so it is retried exactly as far as it still applies.
import { db, type ServiceNowConnectionRow } from "@/lib/db";
import { type Ticket } from "@/lib/generated/prisma/client";
import { type TTicketTable } from "@/lib/schemas/tickets";
import { type ServiceNowClient } from "@/lib/servicenow";
import { mapLimit } from "./concurrency";
import { messageOf } from "./errors";
import { type SyncEventInput, writeSyncEvents } from "./events";
import { syncGovernanceFromTickets } from "./governance-sync";
import { type ActionContext, createReplacement, noteRemediated, reopenTicket, replaceTicket, resolveTicket } from "./reconcile-actions";
import { markNotReady, markReadyToResolve } from "./problem-actions";
import { planTicket, type ReconcileAction } from "./reconcile-plan";
import { type RunReporter } from "./reporter-sql";
import { clearRetryItems, recordRetryItem } from "./retry-items";
import { loadFacts, updateDrift, pendingRegressions, type Planned } from "./reconcile-sql";
export { loadFacts } from "./reconcile-sql";

const ACTION_CONCURRENCY = 4;

export type ReconcileInput = {
  connection: ServiceNowConnectionRow;
  client: ServiceNowClient;
  runId: string;
  reporter?: RunReporter;
  /** Only these tickets (targeted runs); all of the connection's otherwise. */
  ticketIds?: string[];
};

async function execute(ctx: ActionContext, ticket: Ticket, planned: Planned & { action: ReconcileAction }): Promise<void> {
  const { action, facts } = planned;
  if (action.kind === "resolve") return resolveTicket(ctx, ticket, facts, action.episode);
  if (action.kind === "note_remediated") return noteRemediated(ctx, ticket, facts, action.episode);
  if (action.kind === "ready_to_resolve") return markReadyToResolve(ctx, ticket, facts, action.episode);
  if (action.kind === "not_ready") return markNotReady(ctx, ticket, facts);
  if (action.kind === "reopen") return reopenTicket(ctx, ticket, action.findingIds, facts.lastStatusChangeAt);
  return replaceTicket(ctx, ticket, action.findingIds);
}

export async function reconcileConnection(input: ReconcileInput): Promise<{ ticketIds: string[] }> {
  const { connection, reporter } = input;
  const ctx: ActionContext = { connection, client: input.client, runId: input.runId, reporter };
  reporter?.phase("reconcile");

  // 1. Finish regressions an earlier run started.
  for (const pending of await pendingRegressions(connection.id, input.ticketIds)) {
    reporter?.assertAlive();
    const old = await db().ticket.findUnique({ where: { id: pending.oldTicketId } });
    if (!old) continue;
    await guarded(ctx, old, "regression", () => createReplacement(ctx, old, pending.findingIds));
  }

  // 2. Plan every ticket, act on those that need a ServiceNow write.
  const facts = await loadFacts(connection.id, input.ticketIds);
  const plans: Planned[] = facts.map((f) => ({ facts: f, ...planTicket(f, connection.regressionPolicy) }));
  for (const p of plans) {
    // Remediation-task tickets linked before Configuration Compliance became read-only: ServiceNow's CC
    // engine owns their state (PostureDesk never writes sn_vulc tables), so no action on them.
    if (p.facts.table === "sn_vulc_result_group") p.action = null;
  }
  const actionable = plans.filter((p): p is Planned & { action: ReconcileAction } => p.action !== null);
  const rows = await db().ticket.findMany({ where: { id: { in: plans.map((p) => p.facts.ticketId) } } });
  const tickets = new Map(rows.map((t) => [t.id, t]));
  reporter?.set("reconcile.tickets", plans.length);
  reporter?.set("reconcile.actions", actionable.length);
  reporter?.progress(0, actionable.length);
  const failed = new Set<string>();
  await mapLimit(actionable, ACTION_CONCURRENCY, async (p) => {
    reporter?.assertAlive();
    const ticket = tickets.get(p.facts.ticketId)!;
    const ok = await guarded(ctx, ticket, "ticket_action", () => execute(ctx, ticket, p), p.action.kind);
    if (!ok) failed.add(ticket.id);
    reporter?.advance();
  });

  // 3. Drift flags (a failed reopen leaves the ticket as it was: not drift, retried next run).
  await updateDrift(
    connection.id,
    plans.filter((p) => !failed.has(p.facts.ticketId)),
    tickets,
    input.runId,
    reporter,
    input.ticketIds,
  );

  // 4. Governance assignments follow the tickets (after the writes above changed some states).
  const scope = input.ticketIds ?? undefined;
  await syncGovernanceFromTickets({ connectionId: connection.id, ticketIds: scope, runId: input.runId, reporter });
  return { ticketIds: plans.map((p) => p.facts.ticketId) };
}

/** Runs one item's action; a failure is an error event and a retry item, never the run's end. */
async function guarded(
  ctx: ActionContext,
  ticket: Pick<Ticket, "id" | "number" | "table">,
  type: "ticket_action" | "regression",
  work: () => Promise<void>,
  what?: string,
): Promise<boolean> {
  try {
    await work();
    await clearRetryItems(ctx.connection.id, type, [ticket.id]);
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === "RunLostError") throw error;
    const message = messageOf(error);
    await recordRetryItem(ctx.connection.id, type, ticket.id, message, ctx.runId);
    const events: SyncEventInput[] = [
      {
        action: "error",
        entityType: "ticket",
        entityId: ticket.number,
        ticketId: ticket.id,
        message: `${ticket.number} (${ticket.table as TTicketTable}): ${what ?? type} failed: ${message}`,
        isRetryable: true,
      },
    ];
    await writeSyncEvents(ctx.runId, events);
    ctx.reporter?.noteEvents(events);
    return false;
  }
}
