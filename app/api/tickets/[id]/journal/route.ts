// GET /api/tickets/{id}/journal — the ticket's description, work notes and comments from ServiceNow, and its SLA (manager).
// POST /api/tickets/{id}/journal — add a work note or additional comment in ServiceNow (analyst).
import { route } from "@/lib/http/route";
import { ZIdParams } from "@/lib/schemas/common";
import { ZAddedJournalEntry, ZAddJournalEntry, ZTicketConversation } from "@/lib/schemas/ticket-conversation";
import { addJournalEntry, getConversation } from "@/lib/tickets/conversation";

export const GET = route({
  summary: "Get a ticket's conversation (description, journal newest first) and SLA",
  role: "manager",
  params: ZIdParams,
  response: ZTicketConversation,
  handler: ({ actor, params }) => getConversation(actor, params.id),
});

export const POST = route({
  summary: "Add a work note or an additional comment to a ticket in ServiceNow",
  role: "analyst",
  params: ZIdParams,
  body: ZAddJournalEntry,
  status: 201,
  response: ZAddedJournalEntry,
  handler: ({ actor, params, body, requestId }) => addJournalEntry(actor, params.id, body, { requestId }),
});
