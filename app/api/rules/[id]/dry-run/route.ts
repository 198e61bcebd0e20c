// POST /api/rules/{id}/dry-run — the tickets this rule would create now, as if enabled, without creating
// anything (admin). Paged with ?page=&pageSize=.
import { routeById } from "@/lib/http/route-by-id";
import { dryRunRule } from "@/lib/rules/dry-run";
import { ZDryRunQuery } from "@/lib/schemas/rules";

export const POST = routeById({
  summary: "Dry-run a rule: the tickets it would create now, and how many findings each covers",
  role: "admin",
  query: ZDryRunQuery,
  handler: ({ actor, id, query }) => dryRunRule(actor, id, query),
});
