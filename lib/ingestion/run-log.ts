import "server-only";

// What an ingestion writes to its SyncRun while it works: phase, progress, counts and a heartbeat
// (throttled to one UPDATE per second), and SyncEvents (batched, set-based). The heartbeat is what
// tells a dead run from a slow one (stale-run recovery in ./runs.ts).
import type pg from "pg";
import { type AzureClient } from "@/lib/azure/client";
import { type IngestEvent, type RunLog } from "./run-log-sql";
export { createRunLog, type IngestEvent, type IngestProgress, type RunLog } from "./run-log-sql";

/**
 * The same run's log for work running alongside the current step (secure scores and compliance during
 * the assessment pass): counts and events go to the run, but its steps only add their own time to
 * counts.timings (under the step's name) and leave the run's current step and progress alone.
 */
export function concurrentLog(log: RunLog): RunLog & { finish(): void } {
  let current: { name: string; started: number } | null = null;
  const close = () => {
    if (current) log.count(`timings.${current.name.split(" ")[0]}`, Math.round(performance.now() - current.started));
    current = null;
  };
  return {
    ...log,
    step(step) {
      close();
      current = { name: step, started: performance.now() };
    },
    progress() {},
    finish: close,
  };
}

/** What every step of a tenant's ingestion after the assessments is given (tags, sub-assessments, governance). */
export type IngestStepInput = {
  client: AzureClient;
  db: pg.PoolClient;
  log: RunLog;
  azureTenantId: string;
  subscriptionIds: string[];
  mode: "full" | "incremental";
  /** The connection allows Resource Graph (`AzureTenant.useResourceGraph`). */
  useResourceGraph: boolean;
};

/** A listing that failed part-way: one error event saying what is kept as it was, and the run's error count. */
export async function logListingFailure(
  log: RunLog,
  listing: string,
  appError: { message: string; isRetryable: boolean },
  kept: string,
): Promise<void> {
  await log.events([
    {
      action: "error",
      entityType: "listing",
      entityId: listing,
      message: `${appError.message} — ${kept} until the next pass`,
      isRetryable: appError.isRetryable,
    },
  ]);
  log.count("errors");
}

/** Rows a listing returned that could not be read: counted under `counter` and one "skipped" event each. */
export async function logSkippedRows(
  log: RunLog,
  counter: string,
  entityType: IngestEvent["entityType"],
  rows: ReadonlyArray<{ id: string | null; reason: string; sample: unknown }>,
  what: string,
): Promise<void> {
  log.count(counter, rows.length);
  await log.events(
    rows.map((row) => ({
      action: "skipped",
      entityType,
      entityId: row.id,
      message: `Skipped ${what} returned: ${row.reason}`,
      after: { sample: row.sample },
    })),
  );
}
