import "server-only";

import { db, withTransaction, type ServiceNowConnectionRow } from "@/lib/db";
import { type Ticket } from "@/lib/generated/prisma/client";
import { ZCreateTicket, type TTicketTable } from "@/lib/schemas/tickets";
import { type ServiceNowClient } from "@/lib/servicenow";
import { createTickets } from "@/lib/tickets/create";
import { ticketStateLabel } from "@/lib/tickets/states";
import { type SyncEventInput, writeSyncEvents } from "./events";
import { type RunReporter } from "./reporter-sql";
import { type Caller } from "@/lib/auth/authorize";

// The SQL of reconcile-actions.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

/** Who the sync engine acts as (audit log, Ticket.createdByType). */
export const SYNC_ACTOR: Caller = { type: "system", id: null, name: "PostureDesk sync" };

export type ActionContext = {
  connection: ServiceNowConnectionRow;
  client: ServiceNowClient;
  runId: string;
  reporter?: RunReporter;
};

export type TicketRef = Pick<Ticket, "id" | "table" | "sysId" | "number" | "rawState" | "resolvedAt" | "assignmentGroupSysId">;

export const date = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ") + " UTC";

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
