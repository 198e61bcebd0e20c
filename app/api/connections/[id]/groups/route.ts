// GET /api/connections/{id}/groups?q= — ServiceNow assignment groups matching q (analyst; the group picker).
import { searchDirectory } from "@/lib/connections/search";
import { route } from "@/lib/http/route";
import { ZIdParams } from "@/lib/schemas/common";
import { z } from "zod";
import { ZDirectoryGroup, ZDirectoryQuery } from "@/lib/schemas/connections";

export const GET = route({
  summary: "Search the instance's assignment groups",
  role: "analyst",
  params: ZIdParams,
  query: ZDirectoryQuery,
  response: z.object({ items: z.array(ZDirectoryGroup) }),
  handler: ({ actor, params, query }) => searchDirectory(actor, params.id, "groups", query),
});
