// POST /api/rules/{id}/dry-run — the tickets this rule would create now, as if enabled, without creating
// anything (admin). Paged with ?page=&pageSize=.
import { route } from "@/lib/http/route";
import { dryRunRule } from "@/lib/rules/dry-run";
import { ZIdParams } from "@/lib/schemas/common";
import { ZDryRunQuery } from "@/lib/schemas/rules";

export const POST = route({
  summary: "Dry-run a rule: the tickets it would create now, and how many findings each covers",
  role: "admin",
  params: ZIdParams,
  query: ZDryRunQuery,
  handler: ({ actor, params, query }) => dryRunRule(actor, params.id, query),
});
