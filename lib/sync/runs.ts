import "server-only";

// SyncRun lifecycle of the connection sync: queued (enqueue.ts) → running (claimed under the
// connection's lease) → succeeded | partial | failed. A run found "running" by the next holder of
// the lease was interrupted (its worker died): it is closed as failed, with an event saying so, and a
// replacement run is queued so the work resumes — every phase is idempotent, and the watermark only
// ever moves when a run commits.
import { type ENGINE_KINDS } from "./runs-sql";
export { ENGINE_KINDS, MAX_RESUMES, runOptionsOf, recoverInterruptedRuns, claimNext, finishRuns, type RunOptions, type FinishInput } from "./runs-sql";
export type EngineKind = (typeof ENGINE_KINDS)[number];
