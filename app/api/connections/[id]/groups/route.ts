// GET /api/connections/{id}/groups?q=&limit=&offset= — ServiceNow assignment groups matching q (analyst; the group picker).
import { searchDirectory } from "@/lib/connections/search";
import { routeById } from "@/lib/http/route-by-id";
import { ZDirectoryGroup, ZDirectoryPage, ZDirectoryQuery } from "@/lib/schemas/connections";

export const GET = routeById({
  summary: "Search the instance's assignment groups",
  role: "analyst",
  query: ZDirectoryQuery,
  response: ZDirectoryPage(ZDirectoryGroup),
  handler: ({ actor, id, query }) => searchDirectory(actor, id, "groups", query),
});
