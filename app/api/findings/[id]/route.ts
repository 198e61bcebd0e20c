// GET /api/findings/{id} — one finding with its current tickets and its vulnerability sub-findings
// (`subAssessments`: total, counts by severity, the worst `subLimit` items) (manager+).
import { getFinding } from "@/lib/findings/detail";
import { route } from "@/lib/http/route";
import { ZIdParams } from "@/lib/schemas/common";
import { ZFindingDetailQuery } from "@/lib/schemas/sub-assessments";

export const GET = route({
  summary: "Get a finding with its tickets and vulnerability sub-findings (CVEs)",
  role: "manager",
  params: ZIdParams,
  query: ZFindingDetailQuery,
  handler: ({ actor, params, query }) => getFinding(actor, params.id, query),
});
