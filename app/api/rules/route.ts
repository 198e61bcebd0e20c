// GET /api/rules — automation rules, by connection and priority (manager). POST /api/rules — create a
// rule (admin); new rules start disabled unless `enabled: true` is sent.
import { route } from "@/lib/http/route";
import { listRules } from "@/lib/rules/read";
import { createRule } from "@/lib/rules/write";
import { ZCreateRule, ZRulesQuery } from "@/lib/schemas/rules";

export const GET = route({
  summary: "List automation rules (live rules, by connection and priority; lower number wins)",
  role: "manager",
  query: ZRulesQuery,
  handler: ({ actor, query }) => listRules(actor, query),
});

export const POST = route({
  summary: "Create an automation rule",
  role: "admin",
  body: ZCreateRule,
  status: 201,
  handler: ({ actor, body, requestId }) => createRule(actor, body, { requestId }),
});
