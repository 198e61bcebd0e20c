// GET /api/connections/{id}/users?q=&limit=&offset= — active ServiceNow users matching q (analyst; the assignee picker).
import { searchDirectory } from "@/lib/connections/search";
import { routeById } from "@/lib/http/route-by-id";
import { ZDirectoryPage, ZDirectoryQuery, ZDirectoryUser } from "@/lib/schemas/connections";

export const GET = routeById({
  summary: "Search the instance's active users (assignee picker)",
  role: "analyst",
  query: ZDirectoryQuery,
  response: ZDirectoryPage(ZDirectoryUser),
  handler: ({ actor, id, query }) => searchDirectory(actor, id, "users", query),
});
