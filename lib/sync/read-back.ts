import "server-only";

// Every state write of the sync engine is read back: ServiceNow answers 200 to writes it does not apply
// (a problem's state since Rome, change_request states, any "before" business rule that puts a value
// back), so the answer to the write proves nothing. The record is fetched again after the write; when
// the state is what was asked, the change is recorded as usual; when it is not, the ticket is flagged
// ("ServiceNow did not apply …", shown in the tickets list and detail) and the run records a
// `not_applied` event — never a silent success. The flag is cleared when the state next moves
// (ticket-sync.ts) or a later write is confirmed.
import { db } from "@/lib/db";
import { type Ticket } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { type TTicketTable } from "@/lib/schemas/tickets";
import { cellValue, type WriteValue } from "@/lib/servicenow";
import { normalizeTicketState, ticketStateLabel } from "@/lib/tickets/states";
import { type SyncEventInput, writeSyncEvents } from "./events";
import { type ActionContext } from "./reconcile-actions";
import { applyServiceNowRecords, type ApplyOptions, syncFields } from "./ticket-sync";

export type StateWrite = {
  /** What the write is for (history and the reconcile plan's memory). */
  write: "resolve" | "reopen";
  /** The state the write asks for. */
  state: string;
  /** Remediation episode the write belongs to (not tried again in that episode when refused). */
  episode: Date | null;
  /** Event of the confirmed change. */
  applied: ApplyOptions;
};

type TicketRef = Pick<Ticket, "id" | "table" | "sysId" | "number" | "rawState">;

export async function writeStateAndVerify(
  ctx: ActionContext,
  ticket: TicketRef,
  values: Record<string, WriteValue>,
  spec: StateWrite,
): Promise<boolean> {
  const table = ticket.table as TTicketTable;
  await ctx.client.update(table, ticket.sysId, values, { fields: ["sys_id"] });
  const record = await ctx.client.get(table, ticket.sysId, { fields: syncFields(table), displayValue: "all", excludeReferenceLink: true });
  if (!record)
    throw new AppError("UPSTREAM_NOT_FOUND", {
      message: `${ticket.number} cannot be read back after the write (deleted, or hidden by an ACL)`,
    });
  const actual = cellValue(record.state);
  const apply = { connection: ctx.connection, runId: ctx.runId, reporter: ctx.reporter };
  // Done when the record is where we asked, or further along the same way (a rule that closes at once).
  const now = normalizeTicketState(table, actual);
  const isApplied = actual === spec.state || (spec.write === "resolve" ? now !== "open" : now === "open");
  if (isApplied) {
    await applyServiceNowRecords(apply, table, [record], spec.applied);
    await db().ticket.updateMany({
      where: { id: ticket.id, notAppliedAt: { not: null } },
      data: { notAppliedMessage: null, notAppliedAt: null },
    });
    return true;
  }
  // What did change (notes, close code…) is recorded as an ordinary update; the state is flagged.
  await applyServiceNowRecords(apply, table, [record]);
  const requested = ticketStateLabel(table, spec.state);
  const still = ticketStateLabel(table, actual);
  const message = `ServiceNow did not apply the ${spec.write === "resolve" ? "resolution" : "reopening"} of ${ticket.number}: state ${requested} was answered with success but the record is still ${still}. A business rule, the state model or an ACL on the instance kept the old value; change it in ServiceNow.`;
  const at = new Date();
  await db().ticket.update({
    where: { id: ticket.id },
    data: { notAppliedMessage: `State ${requested} was not applied (still ${still})`, notAppliedAt: at },
  });
  const events: SyncEventInput[] = [
    {
      action: "not_applied",
      entityType: "ticket",
      entityId: ticket.number,
      ticketId: ticket.id,
      before: { state: ticketStateLabel(table, ticket.rawState) },
      after: { requested, actual: still, write: spec.write, episode: spec.episode?.toISOString() ?? null },
      message,
    },
  ];
  await writeSyncEvents(ctx.runId, events);
  ctx.reporter?.noteEvents(events);
  return false;
}
