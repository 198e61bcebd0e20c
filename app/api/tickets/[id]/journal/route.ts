// GET /api/tickets/{id}/journal — the ticket's description, work notes and comments from ServiceNow, and its SLA (manager).
// POST /api/tickets/{id}/journal — add a work note or additional comment in ServiceNow (analyst).
import { routeById } from "@/lib/http/route-by-id";
import { getRoute } from "@/lib/http/service-routes";
import { ZAddedJournalEntry, ZAddJournalEntry, ZTicketConversation } from "@/lib/schemas/ticket-conversation";
import { addJournalEntry, getConversation } from "@/lib/tickets/conversation";

export const GET = getRoute(getConversation, {
  summary: "Get a ticket's conversation (description, journal newest first) and SLA",
  role: "manager",
  response: ZTicketConversation,
});

export const POST = routeById({
  summary: "Add a work note or an additional comment to a ticket in ServiceNow",
  role: "analyst",
  body: ZAddJournalEntry,
  status: 201,
  response: ZAddedJournalEntry,
  handler: ({ actor, id, body, requestId }) => addJournalEntry(actor, id, body, { requestId }),
});
