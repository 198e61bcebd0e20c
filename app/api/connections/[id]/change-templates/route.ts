// GET /api/connections/{id}/change-templates — standard change templates of the instance (analyst; the ticket dialog's picker).
import { changeTemplates } from "@/lib/connections/change-templates";
import { getRoute } from "@/lib/http/service-routes";
import { ZChangeTemplates } from "@/lib/schemas/tickets";

export const GET = getRoute(changeTemplates, {
  summary: "List the instance's standard change templates (Change Management API)",
  role: "analyst",
  response: ZChangeTemplates,
});
