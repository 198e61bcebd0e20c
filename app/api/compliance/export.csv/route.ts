// GET /api/compliance/export.csv — the compliance data as CSV: the daily trend per subscription, or the
// regulatory controls per subscription (manager).
import { exportComplianceCsv } from "@/lib/compliance/export-csv-sql";
import { route } from "@/lib/http/route";
import { ZComplianceExportQuery } from "@/lib/schemas/compliance";

export const GET = route({
  summary: "Export compliance data as CSV (report=trend: per day and subscription; report=controls: per control and subscription)",
  role: "manager",
  query: ZComplianceExportQuery,
  handler: async ({ actor, query }) => {
    const { filename, body } = await exportComplianceCsv(actor, query);
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
