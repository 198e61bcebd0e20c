// GET /api/tickets/{id} — one ticket with its findings (current and past) and its history (manager).
import { routeById } from "@/lib/http/route-by-id";
import { ZTicketDetail } from "@/lib/schemas/tickets";
import { getTicket } from "@/lib/tickets/detail";

export const GET = routeById({
  summary: "Get a ticket with its findings and history",
  role: "manager",
  response: ZTicketDetail,
  handler: ({ actor, id }) => getTicket(actor, id),
});
