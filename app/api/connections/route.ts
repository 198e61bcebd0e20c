// GET /api/connections — ServiceNow connections (analyst; secrets never included). POST — add one (admin).
import { createConnection, listConnections } from "@/lib/connections/service";
import { route } from "@/lib/http/route";
import { ZConnectionsQuery, ZCreateConnection, ZServiceNowConnectionDto, ZServiceNowConnectionPage } from "@/lib/schemas/connections";

export const GET = route({
  summary: "List ServiceNow connections (secrets never included)",
  role: "analyst",
  query: ZConnectionsQuery,
  response: ZServiceNowConnectionPage,
  handler: ({ actor, query }) => listConnections(actor, query),
});

export const POST = route({
  summary: "Add a ServiceNow connection",
  role: "admin",
  body: ZCreateConnection,
  status: 201,
  response: ZServiceNowConnectionDto,
  handler: ({ actor, body, requestId }) => createConnection(actor, body, { requestId }),
});
