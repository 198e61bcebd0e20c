import "server-only";
import { type Ticket } from "@/lib/generated/prisma/client";
import { type TTicketDto } from "@/lib/schemas/tickets";
import { ticketStateLabel } from "./states";

export type TicketRow = Ticket & {
  connection: { id: string; name: string; deletedAt: Date | null };
  _count: { links: number };
};

/** Prisma `include` that gives a TicketRow (active links counted). */
export const TICKET_ROW_INCLUDE = {
  connection: { select: { id: true, name: true, deletedAt: true } },
  _count: { select: { links: { where: { activeConnectionId: { not: null } } } } },
} as const;

export function isOverdue(t: Pick<Ticket, "state" | "dueDate">, now = new Date()): boolean {
  return t.state === "open" && t.dueDate !== null && t.dueDate < now;
}

export function toTicketDto(t: TicketRow, now = new Date()): TTicketDto {
  return {
    id: t.id,
    number: t.number,
    table: t.table,
    module: t.module,
    state: t.state,
    rawState: t.rawState,
    stateLabel: ticketStateLabel(t.table, t.rawState),
    priority: t.priority,
    impact: t.impact,
    urgency: t.urgency,
    changeType: t.changeType,
    shortDescription: t.shortDescription,
    assignedToName: t.assignedToName,
    assignedToEmail: t.assignedToEmail,
    assignmentGroupName: t.assignmentGroupName,
    dueDate: t.dueDate?.toISOString() ?? null,
    isOverdue: isOverdue(t, now),
    isDrift: t.isDrift,
    driftSince: t.driftSince?.toISOString() ?? null,
    readyToResolveAt: t.readyToResolveAt?.toISOString() ?? null,
    notApplied: t.notAppliedMessage && t.notAppliedAt ? { message: t.notAppliedMessage, at: t.notAppliedAt.toISOString() } : null,
    url: t.url,
    correlationId: t.correlationId,
    connection: { id: t.connection.id, name: t.connection.name, isArchived: t.connection.deletedAt !== null },
    linkedFindings: t._count.links,
    createdByType: t.createdByType,
    createdAt: t.createdAt.toISOString(),
    snUpdatedAt: t.snUpdatedAt?.toISOString() ?? null,
    lastSyncedAt: t.lastSyncedAt?.toISOString() ?? null,
  };
}
