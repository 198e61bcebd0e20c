// GET /api/sync-runs/{id} — one run with its progress, event tallies and failed items (manager).
import { routeById } from "@/lib/http/route-by-id";
import { getSyncRun } from "@/lib/sync-history/runs";

export const GET = routeById({
  summary: "Get a sync run with its progress",
  role: "manager",
  handler: ({ actor, id }) => getSyncRun(actor, id),
});
