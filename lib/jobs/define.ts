import "server-only";
import { type ZodType } from "zod";
import { type Logger } from "@/lib/log";

// A job: a name, a zod payload, queue options and a handler. Handlers must be idempotent (a job may
// run again after a crash) and throw only what is worth retrying (AppError.isRetryable); anything else
// is recorded by the handler in SyncRun/SyncEvent and the job completes.

export type JobContext = { jobId: string; log: Logger; retryCount: number };

export type JobDefinition<TPayload> = {
  name: string;
  payload: ZodType<TPayload>;
  /**
   * "stately" = at most one queued and one running per singletonKey (e.g. per connection);
   * "short" = at most one queued per singletonKey (running ones do not count).
   */
  policy: "standard" | "stately" | "singleton" | "short";
  retryLimit: number;
  retryDelaySeconds: number;
  /** Seconds after which pg-boss considers a running job lost (worker killed) and retries it. */
  expireInSeconds: number;
  handler: (payload: TPayload, ctx: JobContext) => Promise<void>;
};

export function defineJob<TPayload>(definition: JobDefinition<TPayload>): JobDefinition<TPayload> {
  return definition;
}

/**
 * A job's queue without its handler: what enqueuers need (name, payload, options). A feature whose
 * handler is heavy declares its queue here and binds the handler with `withHandler` in a module only
 * the worker registry imports, so routes that only enqueue do not pull the handler into their bundle.
 */
export type JobQueue<TPayload> = Omit<JobDefinition<TPayload>, "handler">;

export function defineQueue<TPayload>(queue: JobQueue<TPayload>): JobQueue<TPayload> {
  return queue;
}

export function withHandler<TPayload>(queue: JobQueue<TPayload>, handler: JobDefinition<TPayload>["handler"]): JobDefinition<TPayload> {
  return { ...queue, handler };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobDefinition = JobDefinition<any>;

/**
 * Work every worker process repeats on a timer (the sync scheduler, stale-run recovery). However many
 * workers run, one tick runs at a time across all of them: each tick takes a PostgreSQL advisory lock
 * named after the task and is skipped where the lock is taken.
 */
export type PeriodicTask = {
  name: string;
  intervalMs: number;
  run: (ctx: { log: Logger }) => Promise<void>;
};

export function definePeriodic(task: PeriodicTask): PeriodicTask {
  return task;
}
