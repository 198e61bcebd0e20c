// npm run worker — a standalone job worker for scale-out (any number, next to any number of app
// instances, on one PostgreSQL). Needs the same environment as the app (DATABASE_URL, keys).
import { env } from "@/lib/env";
import { JOBS, PERIODIC } from "@/lib/jobs/registry";
import { startWorker, stopWorker } from "@/lib/jobs/worker";
import { logger } from "@/lib/log";

// pg-boss 10 completes and fails jobs without awaiting the promise, so a job that ends while the
// database is unreachable rejects with no handler; Node's default would end the worker. The job stays
// active and pg-boss retries it after its expiry; the worker logs the error and keeps serving
// (bench/drills/db-restart.ts checks it survives a database restart).
process.on("unhandledRejection", (reason) => {
  logger().error(
    { err: reason instanceof Error ? { message: reason.message, name: reason.name } : String(reason) },
    "unhandled rejection in the worker; continuing",
  );
});

async function main(): Promise<void> {
  const e = env();
  await startWorker(JOBS, { concurrency: e.WORKER_CONCURRENCY, periodic: PERIODIC });
  logger().info({ pid: process.pid }, "standalone worker running; Ctrl-C to stop");
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      logger().info({ signal }, "stopping worker");
      void stopWorker().then(() => process.exit(0));
    });
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
