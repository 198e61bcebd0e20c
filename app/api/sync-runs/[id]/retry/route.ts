// POST /api/sync-runs/{id}/retry — retry a finished run's failed items by queueing a sync of its
// connection (analyst): 202 { runId, isNew }.
import { routeById } from "@/lib/http/route-by-id";
import { retrySyncRun } from "@/lib/sync-history/retry";

export const POST = routeById({
  summary: "Retry a sync run's failed items (queues a sync of its connection)",
  role: "analyst",
  status: 202,
  handler: ({ actor, id, requestId }) => retrySyncRun(actor, id, { requestId }),
});
