import "server-only";

// What a running sync shows while it works: phase, progress, counts and a heartbeat, written to its
// SyncRun rows every few seconds over the lease's own connection (so a heartbeat that cannot be
// written means the lease is gone and the run must stop), plus the SyncEvents it records.
import { type Logger } from "@/lib/log";
import { SYNC_ACTIONS } from "@/lib/schemas/sync-runs";
import { metrics } from "@/lib/metrics";
import { addCount, setPath } from "./counts";
import { type SyncEventAction, type SyncEventInput, writeSyncEvents } from "./events";
import { type ConnectionLease } from "./lease-sql";

export class RunLostError extends Error {
  constructor() {
    super("This run lost its lease (database connection broken or taken over); it stops here and the next run resumes");
    this.name = "RunLostError";
  }
}

/** Actions summed at the top of `counts` (what the history list shows): every action but these. */
const NOT_SUMMED: readonly SyncEventAction[] = ["new_finding", "status_changed", "removed", "exported"];
const SUMMARY_ACTIONS = SYNC_ACTIONS.filter((action) => !NOT_SUMMED.includes(action));
const SUMMARY_KEY: Partial<Record<SyncEventAction, string>> = {
  error: "errors",
  governance_updated: "governanceUpdated",
  ready_to_resolve: "readyToResolve",
  not_applied: "notApplied",
};

export type RunReporter = {
  runIds: string[];
  kind: string;
  log: Logger;
  /** Starts a phase; `ownsProgress: false` leaves phase/progress to a composed service (Defender ingestion). */
  phase(name: string, total?: number, options?: { ownsProgress?: boolean }): void;
  progress(done: number, total?: number): void;
  advance(by?: number): void;
  /** Adds to a count; dotted names nest ("servicenow.records"). */
  count(name: string, by?: number): void;
  set(name: string, value: unknown): void;
  counts(): Record<string, unknown>;
  /** Counts events written elsewhere (in the caller's transaction). */
  noteEvents(events: SyncEventInput[]): void;
  /** Writes events now (outside any transaction) to the run (the first run id). */
  events(events: SyncEventInput[]): Promise<void>;
  /** Throws RunLostError when the lease is gone. */
  assertAlive(): void;
  flush(): Promise<void>;
  stop(): Promise<void>;
};

export const HEARTBEAT_MS = 3_000;

export function createRunReporter(
  lease: ConnectionLease,
  input: { runIds: string[]; kind: string; log: Logger; initialCounts?: Record<string, unknown> },
): RunReporter {
  const counts: Record<string, unknown> = { ...(input.initialCounts ?? {}) };
  const state = { phase: "starting", done: 0, total: 0, ownsProgress: true, phaseStarted: performance.now() };
  // Milliseconds per phase, kept in counts.timings (what the history and the benchmarks read).
  const closePhase = () => {
    if (state.phase === "starting") return;
    addCount(counts, `timings.${state.phase}`, Math.round(performance.now() - state.phaseStarted));
  };
  let writing: Promise<void> | null = null;

  const write = async () => {
    const progress = state.ownsProgress ? { phase: state.phase, done: state.done, total: state.total } : null;
    const result = await lease.client.query(
      `UPDATE "SyncRun" SET "heartbeatAt" = now(),
         "phase" = COALESCE($2, "phase"), "progressDone" = COALESCE($3, "progressDone"), "progressTotal" = COALESCE($4, "progressTotal"),
         "counts" = COALESCE("counts", '{}'::jsonb) || $5::jsonb
       WHERE "id" = ANY($1::uuid[]) AND "status" = 'running'`,
      [input.runIds, progress?.phase ?? null, progress?.done ?? null, progress?.total ?? null, JSON.stringify(counts)],
    );
    // Someone else finished or took over these runs (recovery after a presumed crash): stop.
    if (result.rowCount === 0) lease.markLost();
  };
  const beat = () => {
    if (writing || lease.isLost()) return;
    writing = write()
      .catch((error: unknown) => {
        input.log.warn({ err: error }, "sync heartbeat failed; the run stops");
        lease.markLost();
      })
      .finally(() => {
        writing = null;
      });
  };
  const timer = setInterval(beat, HEARTBEAT_MS);
  timer.unref();

  const noteEvents = (events: SyncEventInput[]) => {
    for (const e of events) {
      if (SUMMARY_ACTIONS.includes(e.action)) addCount(counts, SUMMARY_KEY[e.action] ?? e.action, 1);
      metrics().syncItems.inc({ kind: input.kind, action: e.action });
      if (e.action === "error") metrics().syncErrors.inc({ kind: input.kind });
    }
  };

  return {
    runIds: input.runIds,
    kind: input.kind,
    log: input.log,
    phase(name, total = 0, options = {}) {
      closePhase();
      state.phaseStarted = performance.now();
      state.phase = name;
      state.done = 0;
      state.total = total;
      state.ownsProgress = options.ownsProgress ?? true;
      beat();
    },
    progress(done, total) {
      state.done = done;
      if (total !== undefined) state.total = Math.max(total, done);
    },
    advance(by = 1) {
      state.done += by;
      state.total = Math.max(state.total, state.done);
    },
    count(name, by = 1) {
      addCount(counts, name, by);
    },
    set(name, value) {
      setPath(counts, name, () => value);
    },
    counts: () => {
      // The phase under way counts up to now.
      const snapshot = structuredClone(counts);
      if (state.phase !== "starting") addCount(snapshot, `timings.${state.phase}`, Math.round(performance.now() - state.phaseStarted));
      return snapshot;
    },
    noteEvents,
    async events(events) {
      if (events.length === 0) return;
      await writeSyncEvents(input.runIds[0]!, events);
      noteEvents(events);
    },
    assertAlive() {
      if (lease.isLost()) throw new RunLostError();
    },
    async flush() {
      if (writing) await writing;
      if (!lease.isLost()) await write().catch(() => lease.markLost());
    },
    async stop() {
      clearInterval(timer);
      if (writing) await writing;
    },
  };
}
