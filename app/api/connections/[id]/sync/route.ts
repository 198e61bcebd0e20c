// POST /api/connections/{id}/sync — "Run now": queue a bidirectional sync of the connection (analyst);
// 202 { runId }. GET — its sync status: last and active run, next scheduled run, webhook.
import { z } from "zod";
import { jsonResponse } from "@/lib/http/json";
import { routeById } from "@/lib/http/route-by-id";
import { getRoute } from "@/lib/http/service-routes";
import { enqueueConnectionSync } from "@/lib/sync/enqueue-sql";
import { ZConnectionSyncStatus, ZRunSyncResponse } from "@/lib/sync/schemas";
import { connectionSyncStatus } from "@/lib/sync/status";

export const POST = routeById({
  summary: "Run a connection's sync now (?mode=full re-reads every ticket and runs a full Defender pass)",
  role: "analyst",
  query: z.object({ mode: z.enum(["incremental", "full"]).default("incremental") }).strict(),
  response: ZRunSyncResponse,
  status: 202,
  handler: async ({ actor, id, query, requestId }) => {
    const result = await enqueueConnectionSync(id, {
      trigger: actor.type === "token" ? "api" : "manual",
      actor,
      mode: query.mode,
      requestId,
    });
    return jsonResponse(result, { status: 202 });
  },
});

export const GET = getRoute(connectionSyncStatus, {
  summary: "A connection's sync status: last and active run, next scheduled run, webhook",
  role: "analyst",
  response: ZConnectionSyncStatus,
});
