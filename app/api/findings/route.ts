// GET /api/findings — findings per resource with the recommendations filters plus recommendationKey,
// resourceGroup and includeRemoved; each with its current ticket side by side (manager+).
import { listFindings } from "@/lib/findings/list";
import { route } from "@/lib/http/route";
import { ZFindingsQuery } from "@/lib/schemas/findings";

export const GET = route({
  summary: "List findings (one assessment on one resource) with their current tickets",
  role: "manager",
  query: ZFindingsQuery,
  handler: ({ actor, query }) => listFindings(actor, query),
});
