// GET /api/connections/{id} — one ServiceNow connection (analyst). PATCH — change it (admin; omitted
// secrets are kept). DELETE — archive it (admin): its tickets, links and history stay viewable; unless
// `removeGovernance=false`, the governance assignments it wrote are removed from Defender by a background
// run (answered at once with the run and its total; progress and outcome in the sync history).
import { archiveConnection, getConnection, updateConnection } from "@/lib/connections/service";
import { route } from "@/lib/http/route";
import { ZIdParams } from "@/lib/schemas/common";
import { requestConnectionGovernanceRemoval } from "@/lib/governance/remove";
import { ZArchiveConnectionQuery, ZArchivedConnection, ZServiceNowConnectionDto, ZUpdateConnection } from "@/lib/schemas/connections";

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
  summary:
    "Archive a ServiceNow connection (tickets and history stay); queues the removal of its Defender governance assignments (a background run) unless removeGovernance=false",
  role: "admin",
  params: ZIdParams,
  query: ZArchiveConnectionQuery,
  response: ZArchivedConnection,
  handler: async ({ actor, params, query, requestId }) => {
    const wasArchived = (await getConnection(actor, params.id)).archivedAt !== null;
    const archived = await archiveConnection(actor, params.id, { requestId });
    const governanceRemoval =
      query.removeGovernance && !wasArchived ? await requestConnectionGovernanceRemoval(actor, params.id, { requestId }) : null;
    return { ...archived, governanceRemoval };
  },
});
