// npm run worker — a standalone job worker for scale-out (any number, next to any number of app
// instances, on one PostgreSQL). Needs the same environment as the app (DATABASE_URL, keys).
import { env } from "@/lib/env";
import { JOBS, PERIODIC } from "@/lib/jobs/registry";
import { startWorker, stopWorker } from "@/lib/jobs/worker";
import { logger } from "@/lib/log";

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
