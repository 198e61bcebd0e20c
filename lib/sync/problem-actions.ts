import "server-only";

// Problems under the problem state model (Madrid+) are not resolved by PostureDesk: since Rome a Table
// API write of problem.state is answered with success and not applied, and the model's Resolve is a UI
// action that asks a person for cause and fix notes. So when every finding of an open problem is
// remediated, the sync adds a work note that says so and marks the ticket "ready to resolve" in
// PostureDesk (tickets list and detail, with the link to the problem); a person resolves it in
// ServiceNow, which the next sync reads back. If a finding turns unhealthy again while the problem is
// still open, another work note says so and the mark is removed.
import { db } from "@/lib/db";
import { type Ticket } from "@/lib/generated/prisma/client";
import { type TTicketTable } from "@/lib/schemas/tickets";
import { type SyncEventInput, writeSyncEvents } from "./events";
import { type ActionContext, READ, remediationSummary } from "./reconcile-actions";
import { type TicketFacts } from "./reconcile-plan";
import { applyServiceNowRecords } from "./ticket-sync";

type TicketRef = Pick<Ticket, "id" | "table" | "sysId" | "number">;

async function note(ctx: ActionContext, ticket: TicketRef, text: string): Promise<void> {
  const table = ticket.table as TTicketTable;
  const record = await ctx.client.update(table, ticket.sysId, { work_notes: text }, READ(table));
  await applyServiceNowRecords({ connection: ctx.connection, runId: ctx.runId, reporter: ctx.reporter }, table, [record]);
}

async function record(ctx: ActionContext, event: SyncEventInput): Promise<void> {
  await writeSyncEvents(ctx.runId, [event]);
  ctx.reporter?.noteEvents([event]);
}

export async function markReadyToResolve(ctx: ActionContext, ticket: TicketRef, facts: TicketFacts, episode: Date | null): Promise<void> {
  const summary = remediationSummary(facts);
  await setReady(
    ctx,
    ticket,
    true,
    `PostureDesk: ${summary} This problem is ready to be resolved (Resolve, resolution code Fix Applied, with cause and fix notes).`,
    {
      action: "ready_to_resolve",
      after: { workNote: true, episode: episode?.toISOString() ?? null },
      message: `${ticket.number} is ready to resolve: ${summary} A work note says so; a person resolves the problem in ServiceNow (its state is not written through the Table API).`,
    },
  );
}

export async function markNotReady(ctx: ActionContext, ticket: TicketRef, facts: TicketFacts): Promise<void> {
  const which = facts.unhealthy === 1 ? "1 linked finding is" : `${facts.unhealthy} linked findings are`;
  await setReady(
    ctx,
    ticket,
    false,
    `PostureDesk: ${which} unhealthy again in Defender for Cloud; this problem is no longer ready to be resolved.`,
    {
      action: "updated",
      after: { unhealthy: facts.unhealthy },
      message: `${ticket.number} is no longer ready to resolve: ${which} unhealthy again (noted in a work note).`,
    },
  );
}

/** Notes the change on the problem, sets or clears the ticket's ready-to-resolve mark and records the event. */
async function setReady(
  ctx: ActionContext,
  ticket: TicketRef,
  ready: boolean,
  workNote: string,
  event: Pick<SyncEventInput, "action" | "message"> & { after: Record<string, unknown> },
): Promise<void> {
  await note(ctx, ticket, workNote);
  await db().ticket.update({ where: { id: ticket.id }, data: { readyToResolveAt: ready ? new Date() : null } });
  await record(ctx, {
    action: event.action,
    entityType: "ticket",
    entityId: ticket.number,
    ticketId: ticket.id,
    before: { readyToResolve: !ready },
    after: { readyToResolve: ready, ...event.after },
    message: event.message,
  });
}
