// GET /api/sync-runs — sync runs, newest first, filterable by connection, tenant, status, kind, trigger
// and time (manager).
import { route } from "@/lib/http/route";
import { ZSyncRunsQuery } from "@/lib/schemas/sync-runs";
import { listSyncRuns } from "@/lib/sync-history/runs";

export const GET = route({
  summary: "List sync runs",
  role: "manager",
  query: ZSyncRunsQuery,
  handler: ({ actor, query }) => listSyncRuns(actor, query),
});
