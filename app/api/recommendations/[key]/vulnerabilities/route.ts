// GET /api/recommendations/{key}/vulnerabilities — the vulnerabilities (CVEs, failed checks) behind a
// vulnerability recommendation's current findings, one row per vulnerability, worst first (manager+).
import { recommendationVulnerabilities } from "@/lib/findings/sub-assessments";
import { route } from "@/lib/http/route";
import { ZRecommendationKeyParams } from "@/lib/schemas/recommendations";
import { ZRecommendationVulnerabilities, ZRecommendationVulnerabilitiesQuery } from "@/lib/schemas/sub-assessments";

export const GET = route({
  summary: "List the vulnerabilities (CVEs) behind a recommendation's findings",
  role: "manager",
  params: ZRecommendationKeyParams,
  query: ZRecommendationVulnerabilitiesQuery,
  response: ZRecommendationVulnerabilities,
  handler: ({ actor, params, query }) => recommendationVulnerabilities(actor, params.key, query),
});
