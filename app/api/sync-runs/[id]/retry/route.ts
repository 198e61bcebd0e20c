// POST /api/sync-runs/{id}/retry — retry a finished run's failed items by queueing a sync of its
// connection (analyst): 202 { runId, isNew }.
import { route } from "@/lib/http/route";
import { ZIdParams } from "@/lib/schemas/common";
import { retrySyncRun } from "@/lib/sync-history/retry";

export const POST = route({
  summary: "Retry a sync run's failed items (queues a sync of its connection)",
  role: "analyst",
  params: ZIdParams,
  status: 202,
  handler: ({ actor, params, requestId }) => retrySyncRun(actor, params.id, { requestId }),
});
