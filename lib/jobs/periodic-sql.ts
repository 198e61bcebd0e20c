import "server-only";
import { pool } from "@/lib/db";
import { type PeriodicTask } from "@/lib/jobs/define";
import { logger } from "@/lib/log";

// The SQL of periodic.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

export async function tick(task: PeriodicTask): Promise<void> {
  const log = logger().child({ component: "periodic", task: task.name });
  const client = await pool().connect();
  let isBroken = false;
  try {
    const { rows } = await client.query<{ isLocked: boolean }>(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS "isLocked"`, [
      `posturedesk:periodic:${task.name}`,
    ]);
    if (!rows[0]?.isLocked) return;
    try {
      await task.run({ log });
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [`posturedesk:periodic:${task.name}`]).catch(() => {
        isBroken = true;
      });
    }
  } catch (error) {
    log.warn({ err: error }, "periodic task failed; next tick retries");
  } finally {
    client.release(isBroken);
  }
}
