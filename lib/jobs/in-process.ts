import "server-only";
import { env } from "@/lib/env";
import { JOBS, PERIODIC } from "@/lib/jobs/registry";
import { startWorker, stopWorker } from "@/lib/jobs/worker";
import { logger } from "@/lib/log";

// The worker inside the app process (WORKER_IN_PROCESS=true, the default of `npm start`).

/** Waits before each further start attempt (the database may be starting or restarting, another instance migrating). */
const RETRY_SECONDS = [1, 2, 4, 8, 15, 30];

async function tryStart(attempt: number): Promise<boolean> {
  try {
    await startWorker(JOBS, { concurrency: env().WORKER_CONCURRENCY, periodic: PERIODIC });
  } catch (error) {
    const wait = RETRY_SECONDS[attempt];
    if (wait === undefined)
      logger().error({ err: error }, "in-process worker failed to start; giving up (standalone workers or a restart take the jobs)");
    else logger().warn({ err: error, retryInSeconds: wait }, "in-process worker failed to start; retrying");
    return false;
  }
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void stopWorker().finally(() => process.exit(0));
    });
  }
  return true;
}

/** The first attempt is awaited (at server start); further attempts run in the background while the app serves. */
export async function startInProcessWorker(): Promise<void> {
  if (await tryStart(0)) return;
  void (async () => {
    for (let attempt = 1; attempt <= RETRY_SECONDS.length; attempt++) {
      await new Promise((r) => setTimeout(r, RETRY_SECONDS[attempt - 1]! * 1000));
      if (await tryStart(attempt)) return;
    }
  })();
}
