// GET /api/compliance/standards/{standard} — a regulatory standard's controls with their state over the
// subscriptions in scope, failing first (manager).
import { route } from "@/lib/http/route";
import { getStandardDetail } from "@/lib/compliance/standards";
import { ZComplianceScopeQuery, ZComplianceStandardDetail, ZComplianceStandardParams } from "@/lib/schemas/compliance";

export const GET = route({
  summary: "A regulatory standard's controls (drill-down)",
  role: "manager",
  params: ZComplianceStandardParams,
  query: ZComplianceScopeQuery,
  response: ZComplianceStandardDetail,
  handler: ({ actor, params, query }) => getStandardDetail(actor, params.standard, query),
});
