// POST /api/azure-tenants/{id}/sync?mode=full|incremental — queue a Defender ingestion (analyst). 202 { runId,
// isNew }: while one is already queued for the tenant, that run is answered (isNew false).
import { requestIngestion } from "@/lib/ingestion/job";
import { routeById } from "@/lib/http/route-by-id";
import { ZSyncQuery } from "@/lib/schemas/azure-tenants";

export const POST = routeById({
  summary: "Queue a Defender for Cloud ingestion of an Azure tenant connection",
  role: "analyst",
  query: ZSyncQuery,
  status: 202,
  handler: ({ actor, id, query, requestId }) =>
    requestIngestion(actor, id, { mode: query.mode, trigger: actor.type === "token" ? "api" : "manual", requestId }),
});
