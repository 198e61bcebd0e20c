// GET /api/connections/{id}/change-templates — standard change templates of the instance (analyst; the ticket dialog's picker).
import { changeTemplates } from "@/lib/connections/change-templates";
import { route } from "@/lib/http/route";
import { ZIdParams } from "@/lib/schemas/common";
import { ZChangeTemplates } from "@/lib/schemas/tickets";

export const GET = route({
  summary: "List the instance's standard change templates (Change Management API)",
  role: "analyst",
  params: ZIdParams,
  response: ZChangeTemplates,
  handler: ({ actor, params }) => changeTemplates(actor, params.id),
});
