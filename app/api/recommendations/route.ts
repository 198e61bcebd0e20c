// GET /api/recommendations — one row per recommendation: severity, unhealthy/total resources, ticket coverage,
// owner and nearest due date; filters, search, sort and paging (manager+).
import { route } from "@/lib/http/route";
import { listRecommendations } from "@/lib/recommendations/list-sql";
import { ZRecommendationsQuery } from "@/lib/schemas/recommendations";

export const GET = route({
  summary: "List recommendations with counts, ticket coverage, owner and nearest due date",
  role: "manager",
  query: ZRecommendationsQuery,
  handler: ({ actor, query }) => listRecommendations(actor, query),
});
