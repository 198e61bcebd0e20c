import "server-only";

// Reading tickets: the /tickets list (filters, sort, paging), one ticket with its findings and history,
// and the tickets of given findings (the chips next to resources in other views).
import { type Actor } from "@/lib/auth/actor";
import { assertRole } from "@/lib/auth/authorize";
import { db } from "@/lib/db";
import { type Prisma } from "@/lib/generated/prisma/client";
import { type TPage } from "@/lib/schemas/common";
import { type TTicketDto, type TTicketsQuery } from "@/lib/schemas/tickets";
import { TICKET_ROW_INCLUDE, toTicketDto } from "./dto";

function whereOf(q: TTicketsQuery, now: Date): Prisma.TicketWhereInput {
  const and: Prisma.TicketWhereInput[] = [];
  if (q.connectionId) and.push({ connectionId: q.connectionId });
  if (q.state.length) and.push({ state: { in: q.state } });
  if (q.type.length) and.push({ table: { in: q.type } });
  if (q.overdue === true) and.push({ state: "open", dueDate: { lt: now } });
  if (q.overdue === false) and.push({ OR: [{ state: { not: "open" } }, { dueDate: null }, { dueDate: { gte: now } }] });
  if (q.drift !== undefined) and.push({ isDrift: q.drift });
  if (q.findingId) and.push({ links: { some: { findingId: q.findingId } } });
  if (q.q) {
    const text = q.q;
    and.push({
      OR: [
        { number: { contains: text, mode: "insensitive" } },
        { shortDescription: { contains: text, mode: "insensitive" } },
        { assignedToName: { contains: text, mode: "insensitive" } },
        { assignmentGroupName: { contains: text, mode: "insensitive" } },
      ],
    });
  }
  return and.length ? { AND: and } : {};
}

function orderOf(sort: TTicketsQuery["sort"]): Prisma.TicketOrderByWithRelationInput[] {
  const isDescending = sort.startsWith("-");
  const field = sort.replace(/^-/, "") as "createdAt" | "dueDate" | "number" | "updatedAt";
  const direction = isDescending ? "desc" : "asc";
  // Tickets without a due date go last whichever way due dates are sorted; id breaks ties for stable pages.
  const primary: Prisma.TicketOrderByWithRelationInput = field === "dueDate" ? { dueDate: { sort: direction, nulls: "last" } } : { [field]: direction };
  return [primary, { id: "asc" }];
}

export async function listTickets(actor: Actor, q: TTicketsQuery): Promise<TPage<TTicketDto>> {
  assertRole(actor, "manager", "Reading tickets");
  const now = new Date();
  const where = whereOf(q, now);
  const [rows, total] = await Promise.all([
    db().ticket.findMany({ where, include: TICKET_ROW_INCLUDE, orderBy: orderOf(q.sort), skip: (q.page - 1) * q.pageSize, take: q.pageSize }),
    db().ticket.count({ where }),
  ]);
  return { items: rows.map((r) => toTicketDto(r, now)), total, page: q.page, pageSize: q.pageSize };
}

