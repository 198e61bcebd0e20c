// POST /api/connections/{id}/sync — "Run now": queue a bidirectional sync of the connection (analyst);
// 202 { runId }. GET — its sync status: last and active run, next scheduled run, webhook.
import { z } from "zod";
import { jsonResponse } from "@/lib/http/json";
import { route } from "@/lib/http/route";
import { ZIdParams } from "@/lib/schemas/common";
import { enqueueConnectionSync } from "@/lib/sync/enqueue-sql";
import { ZConnectionSyncStatus, ZRunSyncResponse } from "@/lib/sync/schemas";
import { connectionSyncStatus } from "@/lib/sync/status";

export const POST = route({
  summary: "Run a connection's sync now (?mode=full re-reads every ticket and runs a full Defender pass)",
  role: "analyst",
  params: ZIdParams,
  query: z.object({ mode: z.enum(["incremental", "full"]).default("incremental") }).strict(),
  response: ZRunSyncResponse,
  status: 202,
  handler: async ({ actor, params, query, requestId }) => {
    const result = await enqueueConnectionSync(params.id, {
      trigger: actor.type === "token" ? "api" : "manual",
      actor,
      mode: query.mode,
      requestId,
    });
    return jsonResponse(result, { status: 202 });
  },
});

export const GET = route({
  summary: "A connection's sync status: last and active run, next scheduled run, webhook",
  role: "analyst",
  params: ZIdParams,
  response: ZConnectionSyncStatus,
  handler: ({ actor, params }) => connectionSyncStatus(actor, params.id),
});
