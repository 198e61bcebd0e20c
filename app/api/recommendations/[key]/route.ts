// GET /api/recommendations/{key} — a recommendation: description, remediation, threats and impact, with its
// counts per subscription and resource type (manager+). Its resources: GET /api/findings?recommendationKey={key}.
import { route } from "@/lib/http/route";
import { getRecommendation } from "@/lib/recommendations/detail-sql";
import { ZRecommendationKeyParams } from "@/lib/schemas/recommendations";

export const GET = route({
  summary: "Get a recommendation with its metadata and counts",
  role: "manager",
  params: ZRecommendationKeyParams,
  handler: ({ actor, params }) => getRecommendation(actor, params.key),
});
