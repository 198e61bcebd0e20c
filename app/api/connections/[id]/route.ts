// GET /api/connections/{id} — one ServiceNow connection (analyst). PATCH — change it (admin; omitted
// secrets are kept). DELETE — archive it (admin): its tickets, links and history stay viewable; unless
// `removeGovernance=false`, the governance assignments it wrote are removed from Defender by a background
// run (answered at once with the run and its total; progress and outcome in the sync history).
import { archiveConnection, getConnection, updateConnection } from "@/lib/connections/service";
import { routeById } from "@/lib/http/route-by-id";
import { getRoute, updateRoute } from "@/lib/http/service-routes";
import { requestConnectionGovernanceRemoval } from "@/lib/governance/remove";
import { ZArchiveConnectionQuery, ZArchivedConnection, ZServiceNowConnectionDto, ZUpdateConnection } from "@/lib/schemas/connections";

export const GET = getRoute(getConnection, {
  summary: "Get a ServiceNow connection",
  role: "analyst",
  response: ZServiceNowConnectionDto,
});

export const PATCH = updateRoute(updateConnection, {
  summary: "Change a ServiceNow connection (omitted secrets are kept)",
  role: "admin",
  body: ZUpdateConnection,
  response: ZServiceNowConnectionDto,
});

export const DELETE = routeById({
  summary:
    "Archive a ServiceNow connection (tickets and history stay); queues the removal of its Defender governance assignments (a background run) unless removeGovernance=false",
  role: "admin",
  query: ZArchiveConnectionQuery,
  response: ZArchivedConnection,
  handler: async ({ actor, id, query, requestId }) => {
    const wasArchived = (await getConnection(actor, id)).archivedAt !== null;
    const archived = await archiveConnection(actor, id, { requestId });
    const governanceRemoval =
      query.removeGovernance && !wasArchived ? await requestConnectionGovernanceRemoval(actor, id, { requestId }) : null;
    return { ...archived, governanceRemoval };
  },
});
