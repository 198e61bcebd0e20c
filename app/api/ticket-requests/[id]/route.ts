// GET /api/ticket-requests/{id} — a ticket creation ServiceNow did not confirm at once (POST /api/tickets
// answered 202): pending with its attempts and next attempt, created with its ticket, or failed with why.
import { getRoute } from "@/lib/http/service-routes";
import { ZTicketRequestDto } from "@/lib/schemas/ticket-requests";
import { getTicketRequest } from "@/lib/tickets/requests";

export const GET = getRoute(getTicketRequest, {
  summary: "A ticket request's state: pending (retried by a job), created (with its ticket) or failed (with the reason)",
  role: "manager",
  response: ZTicketRequestDto,
});
