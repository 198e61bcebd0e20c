// GET /api/sync-runs/{id}/events — what a run changed, oldest first, paged and filterable (manager).
import { routeById } from "@/lib/http/route-by-id";
import { ZSyncEventsQuery } from "@/lib/schemas/sync-runs";
import { listSyncEvents } from "@/lib/sync-history/events";

export const GET = routeById({
  summary: "List a sync run's events",
  role: "manager",
  query: ZSyncEventsQuery,
  handler: ({ actor, id, query }) => listSyncEvents(actor, id, query),
});
