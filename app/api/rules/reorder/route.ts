// POST /api/rules/reorder — give a connection's rules a new order in one atomic step (admin).
import { route } from "@/lib/http/route";
import { reorderRules } from "@/lib/rules/reorder-sql";
import { ZReorderRules } from "@/lib/schemas/rules";

export const POST = route({
  summary: "Reorder a connection's rules (send every live rule, highest priority first)",
  role: "admin",
  body: ZReorderRules,
  handler: async ({ actor, body, requestId }) => ({ items: await reorderRules(actor, body, { requestId }) }),
});
