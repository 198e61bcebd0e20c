// GET /api/overview — the landing page's numbers: secure score, findings, tickets, coverage, the sync
// state of every connection and the recent runs (manager).
import { route } from "@/lib/http/route";
import { getOverview } from "@/lib/overview/overview";
import { ZOverview } from "@/lib/schemas/overview";

export const GET = route({
  summary: "Overview: secure score, findings, tickets, coverage, sync status and recent runs",
  role: "manager",
  response: ZOverview,
  handler: ({ actor }) => getOverview(actor),
});
