// GET /api/sync-runs/{id}/events — what a run changed, oldest first, paged and filterable (manager).
import { route } from "@/lib/http/route";
import { ZIdParams } from "@/lib/schemas/common";
import { ZSyncEventsQuery } from "@/lib/schemas/sync-runs";
import { listSyncEvents } from "@/lib/sync-history/events";

export const GET = route({
  summary: "List a sync run's events",
  role: "manager",
  params: ZIdParams,
  query: ZSyncEventsQuery,
  handler: ({ actor, params, query }) => listSyncEvents(actor, params.id, query),
});
