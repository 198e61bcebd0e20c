// GET /api/connections/{id}/groups?q=&limit=&offset= — ServiceNow assignment groups matching q (analyst; the group picker).
import { searchDirectory } from "@/lib/connections/search";
import { route } from "@/lib/http/route";
import { ZIdParams } from "@/lib/schemas/common";
import { ZDirectoryGroup, ZDirectoryPage, ZDirectoryQuery } from "@/lib/schemas/connections";

export const GET = route({
  summary: "Search the instance's assignment groups",
  role: "analyst",
  params: ZIdParams,
  query: ZDirectoryQuery,
  response: ZDirectoryPage(ZDirectoryGroup),
  handler: ({ actor, params, query }) => searchDirectory(actor, params.id, "groups", query),
});
