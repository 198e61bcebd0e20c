// GET /api/connections/{id}/users?q=&limit=&offset= — active ServiceNow users matching q (analyst; the assignee picker).
import { searchDirectory } from "@/lib/connections/search";
import { route } from "@/lib/http/route";
import { ZIdParams } from "@/lib/schemas/common";
import { ZDirectoryPage, ZDirectoryQuery, ZDirectoryUser } from "@/lib/schemas/connections";

export const GET = route({
  summary: "Search the instance's active users (assignee picker)",
  role: "analyst",
  params: ZIdParams,
  query: ZDirectoryQuery,
  response: ZDirectoryPage(ZDirectoryUser),
  handler: ({ actor, params, query }) => searchDirectory(actor, params.id, "users", query),
});
