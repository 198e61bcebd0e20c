// POST /api/tickets/draft — the prefilled ticket form for findings: fields per ticket, findings that
// already have a ticket on the connection, findings that cannot be ticketed (analyst). Creates nothing.
import { route } from "@/lib/http/route";
import { ZTicketDraft, ZTicketDraftRequest } from "@/lib/schemas/tickets";
import { draftTickets } from "@/lib/tickets/draft";

export const POST = route({
  summary: "Prefilled ticket fields, conflicts and unticketable findings for a selection",
  role: "analyst",
  body: ZTicketDraftRequest,
  response: ZTicketDraft,
  handler: ({ actor, body }) => draftTickets(actor, body),
});
