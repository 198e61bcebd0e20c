import "server-only";

// Reading tickets: the /tickets list (filters, sort, paging), one ticket with its findings and history,
// and the tickets of given findings (the chips next to resources in other views).
import { type Actor } from "@/lib/auth/actor";
import { assertRole } from "@/lib/auth/authorize";
import { type TPage } from "@/lib/schemas/common";
import { type TTicketDto, type TTicketsQuery } from "@/lib/schemas/tickets";
import { toTicketDto } from "./dto";
import { ticketPage } from "./list-sql";

export async function listTickets(actor: Actor, q: TTicketsQuery): Promise<TPage<TTicketDto>> {
  assertRole(actor, "manager", "Reading tickets");
  const now = new Date();
  const { rows, total } = await ticketPage(q, now);
  return { items: rows.map((r) => toTicketDto(r, now)), total, page: q.page, pageSize: q.pageSize };
}
