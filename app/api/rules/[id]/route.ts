// PATCH /api/rules/{id} — change, enable or disable a rule (admin). DELETE — delete it (admin): it stops
// matching at once; tickets it created keep naming it.
import { route } from "@/lib/http/route";
import { deleteRule, updateRule } from "@/lib/rules/write";
import { ZIdParams } from "@/lib/schemas/common";
import { ZUpdateRule } from "@/lib/schemas/rules";

export const PATCH = route({
  summary: "Change, enable or disable an automation rule",
  role: "admin",
  params: ZIdParams,
  body: ZUpdateRule,
  handler: ({ actor, params, body, requestId }) => updateRule(actor, params.id, body, { requestId }),
});

export const DELETE = route({
  summary: "Delete an automation rule",
  role: "admin",
  params: ZIdParams,
  handler: async ({ actor, params, requestId }) => {
    await deleteRule(actor, params.id, { requestId });
    return undefined;
  },
});
