import "server-only";

// The sync engine's queue. Its handler and periodic task are bound in lib/sync/worker-jobs.ts, which
// only the worker registry (lib/jobs/registry.ts) imports: routes that only enqueue (Run now, the
// webhook) do not pull the engine into their bundle.
import { z } from "zod";
import { defineQueue } from "@/lib/jobs/define";

/**
 * Wakes a worker for one connection. "short": at most one waiting per connection (running ones do not
 * count). Mutual exclusion is the connection's lease (lease-sql.ts), not the queue, so a job left behind
 * by a killed worker never blocks the connection; expiry is long because runs may be long, and an
 * expired job that is retried simply finds nothing queued.
 */
export const syncConnectionJob = defineQueue({
  name: "sync-connection",
  payload: z.object({ connectionId: z.string().uuid() }).strict(),
  policy: "short",
  retryLimit: 5,
  retryDelaySeconds: 5,
  expireInSeconds: 6 * 60 * 60,
});

export const SCHEDULER_INTERVAL_MS = 5_000;
