import "server-only";
import { pool } from "@/lib/db";
import { type PeriodicTask } from "@/lib/jobs/define";
import { logger } from "@/lib/log";

// Runs periodic tasks in this process: first tick at start (a restarted worker recovers interrupted
// runs at once), then every intervalMs. A tick runs under a session advisory lock on its own pooled
// connection, so two workers never run the same task at the same moment; the lock goes with the
// connection if the process dies.

const timers: NodeJS.Timeout[] = [];
let isStopping = false;
const inFlight = new Set<Promise<void>>();

async function tick(task: PeriodicTask): Promise<void> {
  const log = logger().child({ component: "periodic", task: task.name });
  const client = await pool().connect();
  let isBroken = false;
  try {
    const { rows } = await client.query<{ isLocked: boolean }>(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS "isLocked"`, [`posturedesk:periodic:${task.name}`]);
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

function schedule(task: PeriodicTask, delayMs: number): void {
  if (isStopping) return;
  const timer = setTimeout(() => {
    const running = tick(task).finally(() => {
      inFlight.delete(running);
      schedule(task, task.intervalMs);
    });
    inFlight.add(running);
  }, delayMs);
  timer.unref();
  timers.push(timer);
}

export function startPeriodicTasks(tasks: PeriodicTask[]): void {
  isStopping = false;
  for (const task of tasks) schedule(task, 0);
}

export async function stopPeriodicTasks(): Promise<void> {
  isStopping = true;
  for (const timer of timers.splice(0)) clearTimeout(timer);
  await Promise.allSettled([...inFlight]);
}
