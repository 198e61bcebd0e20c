// GET /api/findings — findings per resource with the recommendations filters plus recommendationKey,
// resourceGroup and includeRemoved; each with its current ticket side by side (manager+). Keyset paging:
// `cursor` (the previous answer's nextCursor) or `page`; totals exact up to LIST_EXACT_COUNT_LIMIT, else
// "more than N" (totalIsLowerBound). A malformed cursor, or one made for other filters, is a 400.
import { listFindings } from "@/lib/findings/list";
import { route } from "@/lib/http/route";
import { z } from "zod";
import { cursorPageSchema } from "@/lib/schemas/common";
import { ZFindingsQuery } from "@/lib/schemas/findings";

export const GET = route({
  summary: "List findings (one assessment on one resource) with their current tickets",
  role: "manager",
  query: ZFindingsQuery,
  response: cursorPageSchema(
    z.object({ id: z.string().uuid(), armId: z.string(), resourceName: z.string(), status: z.string() }).passthrough(),
  ),
  handler: ({ actor, query }) => listFindings(actor, query),
});
