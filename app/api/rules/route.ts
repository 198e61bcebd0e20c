// GET /api/rules — automation rules, by connection and priority (manager). POST /api/rules — create a
// rule (admin); new rules start disabled unless `enabled: true` is sent.
import { createRoute, listRoute } from "@/lib/http/service-routes";
import { listRules } from "@/lib/rules/read";
import { createRule } from "@/lib/rules/write";
import { ZCreateRule, ZRulesQuery } from "@/lib/schemas/rules";

export const GET = listRoute(listRules, {
  summary: "List automation rules (live rules, by connection and priority; lower number wins)",
  role: "manager",
  query: ZRulesQuery,
});

export const POST = createRoute(createRule, {
  summary: "Create an automation rule",
  role: "admin",
  body: ZCreateRule,
});
