// POST /api/tickets/{id}/links — link findings to a ticket (analyst). {id} is our ticket id, or a
// ServiceNow number (INC0010001) with `connectionId` in the body to link an existing ServiceNow ticket.
import { route } from "@/lib/http/route";
import { ZLinkFindings, ZLinkOutcome, ZTicketRefParams } from "@/lib/schemas/tickets";
import { linkFindings } from "@/lib/tickets/links";

export const POST = route({
  summary: "Link findings to a ticket (our id, or a ServiceNow number with connectionId)",
  role: "analyst",
  params: ZTicketRefParams,
  body: ZLinkFindings,
  response: ZLinkOutcome,
  handler: ({ actor, params, body, requestId }) => linkFindings(actor, params.id, body, { requestId }),
});
