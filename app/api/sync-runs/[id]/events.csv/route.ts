// GET /api/sync-runs/{id}/events.csv — a run's events as CSV, streamed, with the same filters as the
// events list (manager).
import { routeById } from "@/lib/http/route-by-id";
import { ZSyncEventsExportQuery } from "@/lib/schemas/sync-runs";
import { exportSyncEventsCsv } from "@/lib/sync-history/export";

export const GET = routeById({
  summary: "Export a sync run's events as CSV",
  role: "manager",
  query: ZSyncEventsExportQuery,
  handler: async ({ actor, id, query }) => {
    const { filename, body } = await exportSyncEventsCsv(actor, id, query);
    return new Response(body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  },
});
