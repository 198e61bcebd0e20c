import "server-only";

// Linking findings to an existing ticket — ours (by id) or any ServiceNow ticket (by number, looked up
// in the instance and recorded) — and unlinking them. A finding has at most one active ticket per
// connection and module (the database refuses a second); `replace` moves it from its current ticket.
// Every change is audited and carried to the findings' Defender governance assignments.
import { audit } from "@/lib/audit/audit";
import { actorRef, assertRole, type Caller } from "@/lib/auth/authorize";
import { serviceNowClientFor } from "@/lib/connections/client";
import { db } from "@/lib/db";
import { clearGovernanceTicket, writeDesiredGovernance } from "@/lib/governance/desired-sql";
import { pushGovernance } from "@/lib/governance/push";
import { type Ticket } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { TICKET_NUMBER, type TLinkFindings, type TLinkOutcome, type TTicketTable } from "@/lib/schemas/tickets";
import { conflictError, ticketRef } from "./conflicts";
import { loadUsableConnection } from "./create";
import { loadFindings } from "./findings";
import { findByNumber, ticketColumnsOf } from "./record";
import { tableOfNumber, ticketStateLabel } from "./states";

type Meta = { requestId?: string };

/** Our row for a ServiceNow number on a connection, recorded from the instance when we do not have it. */
async function ticketByNumber(actor: Caller, connectionId: string, number: string): Promise<Ticket> {
  const known = await db().ticket.findFirst({ where: { connectionId, number } });
  if (known) return known;
  const connection = await loadUsableConnection(connectionId);
  const client = await serviceNowClientFor(connection);
  const guess = tableOfNumber(number);
  const tables: TTicketTable[] = guess ? [guess] : ["incident", "problem", "change_request"];
  for (const table of tables) {
    const record = await findByNumber(client, table, number);
    if (!record) continue;
    const columns = ticketColumnsOf(connection.instanceUrl, table, record);
    // A correlation id that is not ours belongs to another integration; do not adopt it.
    const correlationId = columns.correlationId?.startsWith(`${connection.correlationPrefix}:`) ? columns.correlationId : null;
    const by = actorRef(actor);
    return db().ticket.upsert({
      where: { connectionId_sysId: { connectionId, sysId: columns.sysId } },
      create: { ...columns, correlationId, connectionId, module: "itsm", createdByType: by.type, createdById: by.id },
      update: { ...columns, correlationId },
    });
  }
  throw new AppError("NOT_FOUND", { message: `No ticket ${number} in ServiceNow (${connection.name})` });
}

export async function linkFindings(actor: Caller, ref: string, input: TLinkFindings, meta: Meta = {}): Promise<TLinkOutcome> {
  assertRole(actor, "analyst", "Linking tickets");
  let ticket: Ticket | null;
  if (TICKET_NUMBER.test(ref)) {
    if (!input.connectionId) {
      throw new AppError("VALIDATION", {
        message: "Name the connection of ticket " + ref,
        details: { errors: [{ path: "body.connectionId", message: "is required when the ticket is given by number" }] },
      });
    }
    ticket = await ticketByNumber(actor, input.connectionId, ref);
  } else {
    ticket = await db().ticket.findUnique({ where: { id: ref } });
    if (!ticket) throw new AppError("NOT_FOUND", { message: "No such ticket" });
    if (input.connectionId && input.connectionId !== ticket.connectionId) {
      throw new AppError("VALIDATION", {
        message: "The ticket belongs to another connection",
        details: { errors: [{ path: "body.connectionId", message: "does not match the ticket's connection" }] },
      });
    }
  }
  const connection = await loadUsableConnection(ticket.connectionId);
  const findings = await loadFindings(input.findingIds);
  const target = ticket;
  const by = actorRef(actor);

  const outcome = await db().$transaction(async (tx) => {
    const active = await tx.ticketLink.findMany({
      where: { findingId: { in: input.findingIds }, activeConnectionId: connection.id, module: target.module },
      include: { ticket: true },
    });
    const alreadyLinked = active.filter((l) => l.ticketId === target.id).map((l) => l.findingId);
    const elsewhere = active.filter((l) => l.ticketId !== target.id);
    if (elsewhere.length && !input.replace) throw conflictError(elsewhere.map((l) => ({ findingId: l.findingId, ticket: l.ticket })));
    const now = new Date();
    for (const l of elsewhere) {
      await tx.ticketLink.update({
        where: { id: l.id },
        data: { activeConnectionId: null, unlinkedAt: now, unlinkReason: `moved to ${target.number} by ${actor.name}` },
      });
    }
    const toLink = findings.filter((f) => !alreadyLinked.includes(f.id));
    await tx.ticketLink.createMany({
      data: toLink.map((f) => ({
        ticketId: target.id,
        findingId: f.id,
        connectionId: connection.id,
        module: target.module,
        activeConnectionId: connection.id,
        linkedByType: by.type,
        linkedById: by.id,
      })),
    });
    const governanceIds = toLink.length
      ? await writeDesiredGovernance(tx, toLink, {
          owner: target.assignedToEmail,
          remediationDueDate: target.dueDate ?? new Date(now.getTime() + 30 * 86_400_000),
          isGracePeriod: false,
          ticket: { number: target.number, table: target.table, url: target.url, status: ticketStateLabel(target.table, target.rawState) },
        })
      : [];
    const moved = elsewhere.map((l) => ({ findingId: l.findingId, from: l.ticket.number }));
    if (toLink.length) {
      await audit(
        {
          actor,
          action: "link.create",
          targetType: "ticket",
          targetId: target.id,
          after: { number: target.number, findingIds: toLink.map((f) => f.id), moved },
          requestId: meta.requestId,
        },
        tx,
      );
    }
    return { linked: toLink.map((f) => f.id), alreadyLinked, moved, governanceIds };
  });
  await pushGovernance(outcome.governanceIds);
  return { ticket: ticketRef(target), linked: outcome.linked, alreadyLinked: outcome.alreadyLinked, moved: outcome.moved };
}

export async function unlinkFinding(actor: Caller, ticketId: string, findingId: string, meta: Meta = {}): Promise<void> {
  assertRole(actor, "analyst", "Unlinking tickets");
  const link = await db().ticketLink.findFirst({
    where: { ticketId, findingId, activeConnectionId: { not: null } },
    include: { ticket: { select: { number: true } }, finding: { select: { id: true, armId: true } } },
  });
  if (!link) throw new AppError("NOT_FOUND", { message: "This finding is not linked to this ticket" });
  const governanceIds = await db().$transaction(async (tx) => {
    const updated = await tx.ticketLink.updateMany({
      where: { id: link.id, activeConnectionId: { not: null } },
      data: { activeConnectionId: null, unlinkedAt: new Date(), unlinkReason: `unlinked by ${actor.name}` },
    });
    if (updated.count === 0) throw new AppError("NOT_FOUND", { message: "This finding is not linked to this ticket" });
    await audit(
      {
        actor,
        action: "link.delete",
        targetType: "ticket",
        targetId: ticketId,
        before: { number: link.ticket.number, findingId },
        requestId: meta.requestId,
      },
      tx,
    );
    return clearGovernanceTicket(tx, [link.finding]);
  });
  await pushGovernance(governanceIds);
}
