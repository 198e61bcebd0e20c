// PATCH /api/rules/{id} — change, enable or disable a rule (admin). DELETE — delete it (admin): it stops
// matching at once; tickets it created keep naming it.
import { removeRoute, updateRoute } from "@/lib/http/service-routes";
import { deleteRule, updateRule } from "@/lib/rules/write";
import { ZUpdateRule } from "@/lib/schemas/rules";

export const PATCH = updateRoute(updateRule, {
  summary: "Change, enable or disable an automation rule",
  role: "admin",
  body: ZUpdateRule,
});

export const DELETE = removeRoute(deleteRule, {
  summary: "Delete an automation rule",
  role: "admin",
});
