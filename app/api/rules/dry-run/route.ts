// POST /api/rules/dry-run — dry-run a rule as typed in the form, before saving it (admin); `ruleId`
// names the rule being edited.
import { route } from "@/lib/http/route";
import { dryRunDraft } from "@/lib/rules/dry-run";
import { ZDryRunDraft, ZDryRunQuery } from "@/lib/schemas/rules";

export const POST = route({
  summary: "Dry-run an unsaved rule",
  role: "admin",
  body: ZDryRunDraft,
  query: ZDryRunQuery,
  handler: ({ actor, body, query }) => dryRunDraft(actor, body, query),
});
