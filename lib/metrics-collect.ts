import "server-only";
import { metrics } from "@/lib/metrics";
import { refreshQueueGauges, refreshSyncGauges } from "./metrics-collect-sql";

/** Refreshes the gauges that are read from the database, then renders every metric. */
export async function collectMetrics(): Promise<{ contentType: string; body: string }> {
  const m = metrics();
  await Promise.all([refreshQueueGauges(), refreshSyncGauges()]);
  return { contentType: m.registry.contentType, body: await m.registry.metrics() };
}
