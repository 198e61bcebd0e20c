// GET /api/tickets/{id} — one ticket with its findings (current and past) and its history (manager).
import { route } from "@/lib/http/route";
import { ZIdParams } from "@/lib/schemas/common";
import { ZTicketDetail } from "@/lib/schemas/tickets";
import { getTicket } from "@/lib/tickets/detail";

export const GET = route({
  summary: "Get a ticket with its findings and history",
  role: "manager",
  params: ZIdParams,
  response: ZTicketDetail,
  handler: ({ actor, params }) => getTicket(actor, params.id),
});
