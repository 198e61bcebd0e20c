// GET /api/compliance/summary — secure score, findings by severity, coverage, tickets, standards, SLA and
// the daily trends of a date range, for one subscription or all (manager).
import { route } from "@/lib/http/route";
import { getComplianceSummary } from "@/lib/compliance/summary";
import { ZComplianceQuery, ZComplianceSummary } from "@/lib/schemas/compliance";

export const GET = route({
  summary: "Compliance summary: secure score, findings, coverage, tickets, standards, SLA and trends",
  role: "manager",
  query: ZComplianceQuery,
  response: ZComplianceSummary,
  handler: ({ actor, query }) => getComplianceSummary(actor, query),
});
