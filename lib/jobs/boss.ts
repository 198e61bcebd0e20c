import "server-only";
import PgBoss from "pg-boss";
import { env } from "@/lib/env";
import { logger } from "@/lib/log";

// The job queue: pg-boss on the application's own PostgreSQL (schema "pgboss"), so any number of
// app instances and workers share it and each job runs once. One started instance per process.

const globalForBoss = globalThis as unknown as { posturedeskBoss?: Promise<PgBoss> };

export function boss(): Promise<PgBoss> {
  globalForBoss.posturedeskBoss ??= (async () => {
    const instance = new PgBoss({
      connectionString: env().DATABASE_URL,
      schema: "pgboss",
      max: 4,
      application_name: "posturedesk-jobs",
      // Keep finished jobs a week for troubleshooting; SyncRun/SyncEvent hold the lasting history.
      deleteAfterDays: 7,
      maintenanceIntervalSeconds: 30,
      monitorStateIntervalSeconds: 15,
    });
    instance.on("error", (error) => logger().error({ err: error }, "job queue error"));
    await instance.start();
    return instance;
  })().catch((error) => {
    globalForBoss.posturedeskBoss = undefined;
    throw error;
  });
  return globalForBoss.posturedeskBoss;
}

export async function stopBoss(options: { graceful?: boolean; timeoutMs?: number } = {}): Promise<void> {
  const pending = globalForBoss.posturedeskBoss;
  if (!pending) return;
  globalForBoss.posturedeskBoss = undefined;
  const instance = await pending.catch(() => null);
  await instance?.stop({ graceful: options.graceful ?? true, timeout: options.timeoutMs ?? 20_000, wait: true, close: true });
}
