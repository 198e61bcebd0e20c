import "server-only";
import { pool } from "@/lib/db";
import { metrics } from "@/lib/metrics";

// The SQL of metrics-collect.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

// The cluster gauges are read from the database at scrape time (lib/metrics.ts says why), in three small
// queries: pg-boss's live job table is small (finished jobs move to its archive), open runs come through
// SyncRun's status index, and the last success looks at the last 30 days of runs (queuedAt index).
// A gauge that cannot be read is dropped (absent series) rather than failing the whole scrape.

export type JobCounts = { name: string; waiting: string; delayed: string; active: string };

export type OpenRuns = { kind: string; status: string; n: string };

export type LastSuccess = { kind: string; at: Date | null };

export async function refreshQueueGauges(): Promise<void> {
  const m = metrics();
  let rows: JobCounts[];
  try {
    ({ rows } = await pool().query<JobCounts>(
      `SELECT name,
              count(*) FILTER (WHERE state IN ('created', 'retry') AND start_after <= now()) AS waiting,
              count(*) FILTER (WHERE state IN ('created', 'retry') AND start_after > now()) AS delayed,
              count(*) FILTER (WHERE state = 'active') AS active
         FROM pgboss.job WHERE state IN ('created', 'retry', 'active') AND name NOT LIKE '\\_\\_%' GROUP BY name`,
    ));
  } catch {
    // No queue schema yet (pg-boss creates it when it first starts), or the database is unreachable.
    for (const g of [m.queueDepth, m.queueDelayed, m.queueActive]) g.reset();
    return;
  }
  for (const g of [m.queueDepth, m.queueDelayed, m.queueActive]) g.reset();
  for (const row of rows) {
    m.queueDepth.set({ queue: row.name }, Number(row.waiting));
    m.queueDelayed.set({ queue: row.name }, Number(row.delayed));
    m.queueActive.set({ queue: row.name }, Number(row.active));
  }
}

export async function refreshSyncGauges(): Promise<void> {
  const m = metrics();
  let open: { rows: OpenRuns[] };
  let last: { rows: LastSuccess[] };
  try {
    [open, last] = await Promise.all([
      pool().query<OpenRuns>(
        `SELECT "kind"::text AS kind, "status"::text AS status, count(*) AS n FROM "SyncRun" WHERE "status" IN ('queued', 'running') GROUP BY 1, 2`,
      ),
      pool().query<LastSuccess>(
        `SELECT "kind"::text AS kind, max("finishedAt") AS at FROM "SyncRun" WHERE "queuedAt" > now() - interval '30 days' AND "status" IN ('succeeded', 'partial') GROUP BY 1`,
      ),
    ]);
  } catch {
    m.syncRunsOpen.reset();
    m.syncLastSuccess.reset();
    return;
  }
  m.syncRunsOpen.reset();
  // Zero series for the usual states, so an alert on "queued > 0 for 30 min" has a series to watch.
  for (const kind of ["servicenow_sync", "targeted_sync", "defender_ingest"])
    for (const status of ["queued", "running"]) m.syncRunsOpen.set({ kind, status }, 0);
  for (const row of open.rows) m.syncRunsOpen.set({ kind: row.kind, status: row.status }, Number(row.n));
  m.syncLastSuccess.reset();
  for (const row of last.rows) if (row.at) m.syncLastSuccess.set({ kind: row.kind }, row.at.getTime() / 1000);
}
