// GET /api/tickets/{id} — one ticket with its findings (current and past) and its history (manager).
import { getRoute } from "@/lib/http/service-routes";
import { ZTicketDetail } from "@/lib/schemas/tickets";
import { getTicket } from "@/lib/tickets/detail";

export const GET = getRoute(getTicket, {
  summary: "Get a ticket with its findings and history",
  role: "manager",
  response: ZTicketDetail,
});
