import "server-only";
import { routeById } from "@/lib/http/route-by-id";
import { ZDirectoryGroup, ZDirectoryPage, ZDirectoryQuery, ZDirectoryUser } from "@/lib/schemas/connections";
import { searchDirectory } from "./search";

// The two picker routes, GET /api/connections/{id}/users and …/groups: the same search of the instance's
// directory (analyst; ?q=&limit=&offset=), one page of users or of assignment groups.

const ITEM = { users: ZDirectoryUser, groups: ZDirectoryGroup };

export function directorySearchRoute(kind: "users" | "groups", summary: string) {
  return routeById({
    summary,
    role: "analyst",
    query: ZDirectoryQuery,
    response: ZDirectoryPage(ITEM[kind]),
    handler: ({ actor, id, query }) => searchDirectory(actor, id, kind, query),
  });
}
