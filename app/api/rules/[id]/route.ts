// PATCH /api/rules/{id} — change, enable or disable a rule (admin). DELETE — delete it (admin): it stops
// matching at once; tickets it created keep naming it.
import { routeById } from "@/lib/http/route-by-id";
import { deleteRule, updateRule } from "@/lib/rules/write";
import { ZUpdateRule } from "@/lib/schemas/rules";

export const PATCH = routeById({
  summary: "Change, enable or disable an automation rule",
  role: "admin",
  body: ZUpdateRule,
  handler: ({ actor, id, body, requestId }) => updateRule(actor, id, body, { requestId }),
});

export const DELETE = routeById({
  summary: "Delete an automation rule",
  role: "admin",
  handler: async ({ actor, id, requestId }) => {
    await deleteRule(actor, id, { requestId });
    return undefined;
  },
});
