import "server-only";
import { pool } from "@/lib/db";
import { metrics } from "@/lib/metrics";

/** Refreshes the gauges that are read from the database, then renders every metric. */
export async function collectMetrics(): Promise<{ contentType: string; body: string }> {
  const m = metrics();
  try {
    const { rows } = await pool().query<{ name: string; waiting: string }>(
      `SELECT name, count(*) AS waiting FROM pgboss.job WHERE state IN ('created', 'retry') GROUP BY name`,
    );
    m.queueDepth.reset();
    for (const row of rows) m.queueDepth.set({ queue: row.name }, Number(row.waiting));
  } catch {
    // The queue schema does not exist until a worker has started once.
  }
  return { contentType: m.registry.contentType, body: await m.registry.metrics() };
}
