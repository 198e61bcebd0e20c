import "server-only";

// Reading tickets: the /tickets list (filters, sort, paging), one ticket with its findings and history,
// and the tickets of given findings (the chips next to resources in other views).
import { type Actor } from "@/lib/auth/actor";
import { assertRole } from "@/lib/connections/authorize";
import { db } from "@/lib/db";
import { type TPage } from "@/lib/schemas/common";
import { type TFindingTicket, type TTicketDto, type TTicketsQuery } from "@/lib/schemas/tickets";
import { toTicketDto } from "./dto";
import { ticketPage } from "./list-sql";

export async function listTickets(actor: Actor, q: TTicketsQuery): Promise<TPage<TTicketDto>> {
  assertRole(actor, "manager", "Reading tickets");
  const now = new Date();
  const { rows, total } = await ticketPage(q, now);
  return { items: rows.map((r) => toTicketDto(r, now)), total, page: q.page, pageSize: q.pageSize };
}

/** Active tickets of each finding (every connection and module), for chips next to resources. */
export async function ticketsForFindings(findingIds: string[]): Promise<Record<string, TFindingTicket[]>> {
  if (findingIds.length === 0) return {};
  const links = await db().ticketLink.findMany({
    where: { findingId: { in: findingIds }, activeConnectionId: { not: null } },
    include: { ticket: { include: { connection: { select: { name: true } } } } },
    orderBy: { linkedAt: "asc" },
  });
  const out: Record<string, TFindingTicket[]> = {};
  for (const l of links) {
    (out[l.findingId] ??= []).push({
      id: l.ticket.id,
      number: l.ticket.number,
      url: l.ticket.url,
      state: l.ticket.state,
      table: l.ticket.table,
      isDrift: l.ticket.isDrift,
      connectionName: l.ticket.connection.name,
    });
  }
  return out;
}
