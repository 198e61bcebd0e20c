// GET /api/sync-runs/{id}/events.csv — a run's events as CSV, streamed, with the same filters as the
// events list (manager).
import { csvDownload } from "@/lib/http/csv-download";
import { routeById } from "@/lib/http/route-by-id";
import { ZSyncEventsExportQuery } from "@/lib/schemas/sync-runs";
import { exportSyncEventsCsv } from "@/lib/sync-history/export";

export const GET = routeById({
  summary: "Export a sync run's events as CSV",
  role: "manager",
  query: ZSyncEventsExportQuery,
  handler: async ({ actor, id, query }) => csvDownload(await exportSyncEventsCsv(actor, id, query)),
});
