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
  /** "stately" = at most one queued and one running per singletonKey (e.g. per connection). */
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

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobDefinition = JobDefinition<any>;
