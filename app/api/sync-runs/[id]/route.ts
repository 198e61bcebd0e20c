// GET /api/sync-runs/{id} — one run with its progress, event tallies and failed items (manager).
import { route } from "@/lib/http/route";
import { ZIdParams } from "@/lib/schemas/common";
import { getSyncRun } from "@/lib/sync-history/runs";

export const GET = route({
  summary: "Get a sync run with its progress",
  role: "manager",
  params: ZIdParams,
  handler: ({ actor, params }) => getSyncRun(actor, params.id),
});
