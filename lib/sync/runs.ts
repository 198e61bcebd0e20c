import "server-only";

// SyncRun lifecycle of the connection sync: queued (enqueue.ts) → running (claimed under the
// connection's lease) → succeeded | partial | failed. A run found "running" by the next holder of
// the lease was interrupted (its worker died): it is closed as failed, with an event saying so, and a
// replacement run is queued so the work resumes — every phase is idempotent, and the watermark only
// ever moves when a run commits. A run that failed for a retryable reason queues its follow-up here
// (queueFollowUp), with the rest of the run plumbing.
import { type SyncRun } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { type Logger } from "@/lib/log";
import { wakeConnectionWorker } from "./enqueue-sql";
import { isRetryableError, messageOf } from "./errors";
import { continuationOf, type FinishInput } from "./runs-sql";
export {
  ENGINE_KINDS,
  MAX_RESUMES,
  runOptionsOf,
  recoverInterruptedRuns,
  claimNext,
  finishRuns,
  finishIngestRun,
  type RunOptions,
  type FinishInput,
} from "./runs-sql";

/** Follow-ups of a run that failed for a retryable reason: attempt 2 after 30 s, attempt 3 after 2 min. */
export const RETRY_DELAYS_SECONDS = [30, 120];

export async function queueFollowUp(run: SyncRun, attempt: number, mode: string): Promise<string | null> {
  const delay = RETRY_DELAYS_SECONDS[attempt - 1];
  if (delay === undefined || !run.connectionId) return null;
  const next = await db().syncRun.create({
    data: { ...continuationOf(run, { mode, resumes: run.id, attempt: attempt + 1 }), queuedAt: new Date(Date.now() + delay * 1000) },
    select: { id: true },
  });
  await wakeConnectionWorker(run.connectionId, { startAfterSeconds: delay });
  return next.id;
}

/**
 * The outcome of a run that threw: failed, its follow-up queued when the error is retryable (decided by
 * error code, lib/sync/errors.ts: an archived connection or a bad target is a 4xx AppError, never retried).
 */
export async function failedOutcome(input: {
  run: SyncRun;
  error: unknown;
  attempt: number;
  mode: string;
  counts: Record<string, unknown>;
  log: Logger;
  what: string;
}): Promise<FinishInput> {
  const { run, error } = input;
  const followUp = isRetryableError(error) ? await queueFollowUp(run, input.attempt, input.mode).catch(() => null) : null;
  input.log.warn({ err: error, followUp }, `${input.what} failed`);
  return {
    status: "failed",
    error: `${messageOf(error)}${followUp ? " — retrying automatically" : ""}`,
    counts: { ...input.counts, ...(followUp ? { followUp } : {}) },
  };
}
