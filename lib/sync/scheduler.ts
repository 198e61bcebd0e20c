import "server-only";

// The scheduler tick (every few seconds in every worker process, one at a time across them):
//   1. connections whose next sync is due get a scheduled run (interval from the connection, 24 h by
//      default, down to 1 minute); the next one is planned from now;
//   2. connections with runs queued but no worker on them — or with runs a dead worker left
//      "running" — get a job, whose holder of the lease recovers and runs them;
//   3. Azure tenants whose next ingestion is due get one through the ingestion service — a full pass
//      when the last full one is a day old (docs/DESIGN.md §4.1), incremental otherwise.
// Each step is a single statement per item, so a tick that dies half-way leaves nothing inconsistent.
import { type Logger } from "@/lib/log";
import { wakeConnectionWorker } from "./enqueue-sql";
import { scheduleDueConnections, connectionsNeedingWorker, scheduleDueTenants } from "./scheduler-sql";
export { scheduleDueConnections, connectionsNeedingWorker, scheduleDueTenants } from "./scheduler-sql";

export async function schedulerTick({ log }: { log: Logger }): Promise<void> {
  const tenants = await scheduleDueTenants();
  const scheduled = await scheduleDueConnections();
  const orphaned = await connectionsNeedingWorker();
  const wake = [...new Set([...scheduled, ...orphaned])];
  for (const connectionId of wake) await wakeConnectionWorker(connectionId);
  if (scheduled.length || orphaned.length || tenants.length) log.debug({ scheduled, orphaned, tenants }, "sync scheduler tick");
}
