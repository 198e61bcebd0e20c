import "server-only";
import type pg from "pg";
import { pool } from "@/lib/db";
import { addCount, setPath } from "@/lib/sync/counts";
import { type SyncEventInput, writeSyncEvents } from "@/lib/sync/events";

// The SQL of run-log.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

/** An ingestion's SyncEvent (written by lib/sync/events.ts, like every SyncEvent). */
export type IngestEvent = SyncEventInput & { action: "new_finding" | "status_changed" | "removed" | "skipped" | "error" | "updated" };

export type IngestProgress = { phase: string; step: string; done: number; total: number; counts: Record<string, unknown> };

export type RunLog = {
  /** Starts a step; the time spent in the previous one is added to counts.timings (ms). */
  step(step: string): void;
  progress(done: number, total: number): void;
  /** Adds to a numeric count (nested with dots: "governance.upserted"). */
  count(name: string, by?: number): void;
  set(name: string, value: unknown): void;
  counts(): Record<string, unknown>;
  events(events: IngestEvent[]): Promise<void>;
  flush(): Promise<void>;
};

export const FLUSH_MS = 1_000;

export const PHASE = "ingest-defender";

export function createRunLog(runId: string, options: { onProgress?: (p: IngestProgress) => void; client?: pg.PoolClient } = {}): RunLog {
  const state = { step: "starting", done: 0, total: 0, stepStarted: performance.now() };
  const counts: Record<string, unknown> = {};
  let lastFlush = 0;
  let flushing: Promise<void> | null = null;

  const write = async () => {
    lastFlush = Date.now();
    // counts are merged under "defender" so a composed run (sync engine) keeps its own keys.
    await pool().query(
      `UPDATE "SyncRun" SET "phase" = $2, "progressDone" = $3, "progressTotal" = $4,
         "counts" = jsonb_set(COALESCE("counts", '{}'::jsonb), '{defender}', $5::jsonb), "heartbeatAt" = now()
       WHERE "id" = $1::uuid`,
      [runId, `${PHASE}: ${state.step}`, state.done, state.total, JSON.stringify({ ...counts, step: state.step })],
    );
    options.onProgress?.({ phase: PHASE, step: state.step, done: state.done, total: state.total, counts: { ...counts } });
  };
  const maybeFlush = () => {
    if (flushing || Date.now() - lastFlush < FLUSH_MS) return;
    flushing = write()
      .catch(() => undefined) // a missed heartbeat is not worth failing the run; the next one retries
      .finally(() => {
        flushing = null;
      });
  };

  return {
    step(step) {
      const now = performance.now();
      addCount(counts, `timings.${state.step.split(" ")[0]}`, Math.round(now - state.stepStarted));
      state.stepStarted = now;
      state.step = step;
      lastFlush = 0;
      maybeFlush();
    },
    progress(done, total) {
      state.done = done;
      state.total = Math.max(total, done);
      maybeFlush();
    },
    count(name, by = 1) {
      addCount(counts, name, by);
    },
    set(name, value) {
      setPath(counts, name, () => value);
    },
    counts: () => structuredClone(counts),
    events: (events) => writeSyncEvents(runId, events, options.client ?? pool()),
    async flush() {
      if (flushing) await flushing;
      await write();
    },
  };
}
