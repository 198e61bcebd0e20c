// GET /api/tickets — tickets with filters and paging (manager). POST /api/tickets — create tickets from
// findings (analyst): 201 when this request created any, 200 when it repeats one that already did, 202
// when ServiceNow did not confirm some of them: those are under `pending` and retried by a job.
import { route } from "@/lib/http/route";
import { listRoute } from "@/lib/http/service-routes";
import { jsonResponse } from "@/lib/http/json";
import { ZCreateTicket, ZCreateTicketsResult, ZTicketPage, ZTicketsQuery } from "@/lib/schemas/tickets";
import { createTickets } from "@/lib/tickets/create";
import { listTickets } from "@/lib/tickets/list";

export const GET = listRoute(listTickets, {
  summary: "List tickets with filters and paging",
  role: "manager",
  query: ZTicketsQuery,
  response: ZTicketPage,
});

export const POST = route({
  summary:
    "Create tickets from findings (exactly once; a repeat answers 200 with the same tickets; 202 with `pending` ticket requests when ServiceNow did not confirm)",
  role: "analyst",
  body: ZCreateTicket,
  // 201 when this request created a ticket, 200 (same body) when it repeats one that did.
  status: 201,
  response: ZCreateTicketsResult,
  handler: async ({ actor, body, requestId }) => {
    const outcome = await createTickets(actor, body, { requestId });
    const answer = {
      tickets: outcome.tickets,
      ...(outcome.pending.length ? { pending: outcome.pending } : {}),
      ...(outcome.failures.length ? { failures: outcome.failures } : {}),
    };
    return jsonResponse(answer, { status: outcome.pending.length ? 202 : outcome.isCreated ? 201 : 200 });
  },
});
