import "server-only";

// The sync engine's job and periodic task (registered in lib/jobs/registry.ts). Handlers are loaded
// on first use: routes that only enqueue (Run now, the webhook) do not pull the engine into their bundle.
import { z } from "zod";
import { defineJob, definePeriodic } from "@/lib/jobs/define";

/**
 * Wakes a worker for one connection. "short": at most one waiting per connection (running ones do not
 * count). Mutual exclusion is the connection's lease (lease.ts), not the queue, so a job left behind
 * by a killed worker never blocks the connection; expiry is long because runs may be long, and an
 * expired job that is retried simply finds nothing queued.
 */
export const syncConnectionJob = defineJob({
  name: "sync-connection",
  payload: z.object({ connectionId: z.string().uuid() }).strict(),
  policy: "short",
  retryLimit: 5,
  retryDelaySeconds: 5,
  expireInSeconds: 6 * 60 * 60,
  handler: async (payload, ctx) => (await import("./handler")).handleConnectionJob(payload, ctx),
});

export const SCHEDULER_INTERVAL_MS = 5_000;

/** Due schedules, interrupted runs, queued runs nobody woke a worker for. */
export const syncSchedulerTask = definePeriodic({
  name: "sync-scheduler",
  intervalMs: SCHEDULER_INTERVAL_MS,
  run: async (ctx) => (await import("./scheduler")).schedulerTick(ctx),
});

export const SYNC_JOBS = [syncConnectionJob];
export const SYNC_PERIODIC = [syncSchedulerTask];
