// GET /api/connections/{id}/groups?q=&limit=&offset= — ServiceNow assignment groups matching q (analyst; the group picker).
import { directorySearchRoute } from "@/lib/connections/directory-route";

export const GET = directorySearchRoute("groups", "Search the instance's assignment groups");
