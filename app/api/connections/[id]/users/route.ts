// GET /api/connections/{id}/users?q=&limit=&offset= — active ServiceNow users matching q (analyst; the assignee picker).
import { directorySearchRoute } from "@/lib/connections/directory-route";

export const GET = directorySearchRoute("users", "Search the instance's active users (assignee picker)");
