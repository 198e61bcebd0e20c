// GET /api/compliance/cc — Configuration Compliance coverage per subscription: unhealthy findings with and
// without a failed CC test result, and findings failed in CC but healthy in Defender (manager).
import { getCcCoverage } from "@/lib/compliance-cc/coverage-sql";
import { route } from "@/lib/http/route";
import { ZCcCoverageQuery } from "@/lib/schemas/compliance-cc";

export const GET = route({
  summary: "Configuration Compliance coverage and disagreement per subscription",
  role: "manager",
  query: ZCcCoverageQuery,
  handler: ({ actor, query }) => getCcCoverage(actor, query),
});
