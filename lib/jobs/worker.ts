import "server-only";
import { boss, stopBoss } from "@/lib/jobs/boss";
import { type AnyJobDefinition } from "@/lib/jobs/define";
import { ensureQueue } from "@/lib/jobs/queues";
import { isAppError } from "@/lib/http/errors";
import { logger } from "@/lib/log";

// The worker: polls every registered queue (pg-boss hands each job to exactly one worker across all
// processes) and runs handlers. A handler's retryable failure is rethrown so pg-boss retries it with
// backoff; anything else completes the job — the handler has recorded the failure in SyncRun.

const localWorkers = new Map<string, string[]>();
let running = false;

export async function startWorker(jobs: AnyJobDefinition[], options: { concurrency: number; pollingIntervalSeconds?: number }): Promise<void> {
  if (running) return;
  running = true;
  const b = await boss();
  const log = logger().child({ component: "worker" });
  for (const definition of jobs) {
    await ensureQueue(b, definition);
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
  log.info({ queues: jobs.map((j) => j.name), concurrency: options.concurrency }, "worker started");
}

export function wakeLocalWorkers(name: string): void {
  const ids = localWorkers.get(name);
  if (!ids?.length) return;
  void boss().then((b) => ids.forEach((id) => b.notifyWorker(id)));
}

export async function stopWorker(): Promise<void> {
  running = false;
  localWorkers.clear();
  await stopBoss({ graceful: true });
}
