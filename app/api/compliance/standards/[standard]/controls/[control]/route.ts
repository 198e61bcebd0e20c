// GET /api/compliance/standards/{standard}/controls/{control} — a control's assessments with the
// unhealthy findings of each recommendation and the tickets that track them (manager).
import { route } from "@/lib/http/route";
import { getControlDetail } from "@/lib/compliance/standards";
import { ZComplianceControlDetail, ZComplianceControlParams, ZComplianceScopeQuery } from "@/lib/schemas/compliance";

export const GET = route({
  summary: "A regulatory control's failing assessments and their tickets (drill-down)",
  role: "manager",
  params: ZComplianceControlParams,
  query: ZComplianceScopeQuery,
  response: ZComplianceControlDetail,
  handler: ({ actor, params, query }) => getControlDetail(actor, params.standard, params.control, query),
});
