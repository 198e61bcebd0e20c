// POST /api/azure-tenants/{id}/sync?mode=full|incremental — queue a Defender ingestion (analyst). 202 { runId,
// isNew }: while one is already queued for the tenant, that run is answered (isNew false).
import { requestIngestion } from "@/lib/ingestion/job";
import { route } from "@/lib/http/route";
import { ZSyncQuery } from "@/lib/schemas/azure-tenants";
import { ZIdParams } from "@/lib/schemas/common";

export const POST = route({
  summary: "Queue a Defender for Cloud ingestion of an Azure tenant connection",
  role: "analyst",
  params: ZIdParams,
  query: ZSyncQuery,
  status: 202,
  handler: ({ actor, params, query, requestId }) =>
    requestIngestion(actor, params.id, { mode: query.mode, trigger: actor.type === "token" ? "api" : "manual", requestId }),
});
