import "server-only";

// What an ingestion writes to its SyncRun while it works: phase, progress, counts and a heartbeat
// (throttled to one UPDATE per second), and SyncEvents (batched, set-based). The heartbeat is what
// tells a dead run from a slow one (stale-run recovery in ./runs.ts).
import { type RunLog } from "./run-log-sql";
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
