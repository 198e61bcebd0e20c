// GET /api/sync-runs/{id} — one run with its progress, event tallies and failed items (manager).
import { getRoute } from "@/lib/http/service-routes";
import { getSyncRun } from "@/lib/sync-history/runs";

export const GET = getRoute(getSyncRun, {
  summary: "Get a sync run with its progress",
  role: "manager",
});
