// GET /api/connections — ServiceNow connections (analyst; secrets never included). POST — add one (admin).
import { createConnection, listConnections } from "@/lib/connections/service";
import { createRoute, listRoute } from "@/lib/http/service-routes";
import { ZConnectionsQuery, ZCreateConnection, ZServiceNowConnectionDto, ZServiceNowConnectionPage } from "@/lib/schemas/connections";

export const GET = listRoute(listConnections, {
  summary: "List ServiceNow connections (secrets never included)",
  role: "analyst",
  query: ZConnectionsQuery,
  response: ZServiceNowConnectionPage,
});

export const POST = createRoute(createConnection, {
  summary: "Add a ServiceNow connection",
  role: "admin",
  body: ZCreateConnection,
  response: ZServiceNowConnectionDto,
});
