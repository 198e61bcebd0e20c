import "server-only";
import type PgBoss from "pg-boss";
import { boss, stopBoss } from "@/lib/jobs/boss";
import { type AnyJobDefinition, type PeriodicTask } from "@/lib/jobs/define";
import { startPeriodicTasks, stopPeriodicTasks } from "@/lib/jobs/periodic";
import { ensureQueue } from "@/lib/jobs/queues-sql";
import { isAppError } from "@/lib/http/errors";
import { logger } from "@/lib/log";

// The worker: polls every registered queue (pg-boss hands each job to exactly one worker across all
// processes) and runs handlers. A handler's retryable failure is rethrown so pg-boss retries it with
// backoff; anything else completes the job — the handler has recorded the failure in SyncRun.
// Periodic tasks (the sync scheduler and its recovery of interrupted runs) start with the worker.

const localWorkers = new Map<string, string[]>();
let running = false;

export type WorkerOptions = { concurrency: number; pollingIntervalSeconds?: number; periodic?: PeriodicTask[] };

export async function startWorker(jobs: AnyJobDefinition[], options: WorkerOptions): Promise<void> {
  if (running) return;
  running = true;
  let b: PgBoss;
  try {
    b = await boss();
    // Every queue first, so a failure here leaves nothing half-registered and the start can be retried.
    for (const definition of jobs) await ensureQueue(b, definition);
  } catch (error) {
    running = false;
    throw error;
  }
  const log = logger().child({ component: "worker" });
  for (const definition of jobs) {
    const ids: string[] = [];
    for (let i = 0; i < options.concurrency; i++) {
      const id = await b.work(
        definition.name,
        { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, includeMetadata: true },
        async ([job]) => {
          const jobLog = log.child({ job: definition.name, jobId: job.id });
          const parsed = definition.payload.safeParse(job.data);
          if (!parsed.success) {
            jobLog.error({ issues: parsed.error.issues }, "job payload is invalid; not retrying");
            return { error: "invalid payload" };
          }
          try {
            await definition.handler(parsed.data, { jobId: job.id, log: jobLog, retryCount: job.retryCount });
          } catch (error) {
            if (isAppError(error) && !error.isRetryable) {
              jobLog.warn({ err: error }, "job failed (not retryable)");
              return { error: error.message };
            }
            jobLog.warn({ err: error, retryCount: job.retryCount }, "job failed; pg-boss will retry it");
            throw error;
          }
        },
      );
      ids.push(id);
    }
    localWorkers.set(definition.name, ids);
  }
  startPeriodicTasks(options.periodic ?? []);
  log.info(
    { queues: jobs.map((j) => j.name), periodic: (options.periodic ?? []).map((t) => t.name), concurrency: options.concurrency },
    "worker started",
  );
}

export function wakeLocalWorkers(name: string): void {
  const ids = localWorkers.get(name);
  if (!ids?.length) return;
  void boss().then((b) => ids.forEach((id) => b.notifyWorker(id)));
}

export async function stopWorker(): Promise<void> {
  running = false;
  localWorkers.clear();
  await stopPeriodicTasks();
  await stopBoss({ graceful: true });
}
