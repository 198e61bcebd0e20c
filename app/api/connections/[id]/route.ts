// GET /api/connections/{id} — one ServiceNow connection (analyst). PATCH — change it (admin; omitted
// secrets are kept). DELETE — archive it (admin): its tickets, links and history stay viewable.
import { archiveConnection, getConnection, updateConnection } from "@/lib/connections/service";
import { route } from "@/lib/http/route";
import { ZIdParams } from "@/lib/schemas/common";
import { ZServiceNowConnectionDto, ZUpdateConnection } from "@/lib/schemas/connections";

export const GET = route({
  summary: "Get a ServiceNow connection",
  role: "analyst",
  params: ZIdParams,
  response: ZServiceNowConnectionDto,
  handler: ({ actor, params }) => getConnection(actor, params.id),
});

export const PATCH = route({
  summary: "Change a ServiceNow connection (omitted secrets are kept)",
  role: "admin",
  params: ZIdParams,
  body: ZUpdateConnection,
  response: ZServiceNowConnectionDto,
  handler: ({ actor, params, body, requestId }) => updateConnection(actor, params.id, body, { requestId }),
});

export const DELETE = route({
  summary: "Archive a ServiceNow connection (tickets and history stay)",
  role: "admin",
  params: ZIdParams,
  response: ZServiceNowConnectionDto,
  handler: ({ actor, params, requestId }) => archiveConnection(actor, params.id, { requestId }),
});
