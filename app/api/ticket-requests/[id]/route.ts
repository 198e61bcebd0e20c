// GET /api/ticket-requests/{id} — a ticket creation ServiceNow did not confirm at once (POST /api/tickets
// answered 202): pending with its attempts and next attempt, created with its ticket, or failed with why.
import { routeById } from "@/lib/http/route-by-id";
import { ZTicketRequestDto } from "@/lib/schemas/ticket-requests";
import { getTicketRequest } from "@/lib/tickets/requests";

export const GET = routeById({
  summary: "A ticket request's state: pending (retried by a job), created (with its ticket) or failed (with the reason)",
  role: "manager",
  response: ZTicketRequestDto,
  handler: ({ actor, id }) => getTicketRequest(actor, id),
});
