// GET /api/metrics — Prometheus metrics of this process (scrape with an API token: bearer_token).
import { collectMetrics } from "@/lib/metrics-collect";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route({
  role: "manager",
  summary: "Prometheus metrics (text exposition format)",
  handler: async () => {
    const { contentType, body } = await collectMetrics();
    return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
  },
});
