import "server-only";
import { env } from "@/lib/env";
import { JOBS, PERIODIC } from "@/lib/jobs/registry";
import { startWorker, stopWorker } from "@/lib/jobs/worker";
import { logger } from "@/lib/log";

// The worker inside the app process (WORKER_IN_PROCESS=true, the default of `npm start`).
export async function startInProcessWorker(): Promise<void> {
  try {
    await startWorker(JOBS, { concurrency: env().WORKER_CONCURRENCY, periodic: PERIODIC });
  } catch (error) {
    // The app still serves pages; the worker retries at the next start (and /api/ready reports it).
    logger().error({ err: error }, "in-process worker failed to start");
    return;
  }
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void stopWorker().finally(() => process.exit(0));
    });
  }
}
