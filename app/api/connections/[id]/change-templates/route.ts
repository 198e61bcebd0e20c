// GET /api/connections/{id}/change-templates — standard change templates of the instance (analyst; the ticket dialog's picker).
import { changeTemplates } from "@/lib/connections/change-templates";
import { routeById } from "@/lib/http/route-by-id";
import { ZChangeTemplates } from "@/lib/schemas/tickets";

export const GET = routeById({
  summary: "List the instance's standard change templates (Change Management API)",
  role: "analyst",
  response: ZChangeTemplates,
  handler: ({ actor, id }) => changeTemplates(actor, id),
});
