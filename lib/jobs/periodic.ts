import "server-only";
import { type PeriodicTask } from "@/lib/jobs/define";
import { tick } from "./periodic-sql";

// Runs periodic tasks in this process: first tick at start (a restarted worker recovers interrupted
// runs at once), then every intervalMs. A tick runs under a session advisory lock on its own pooled
// connection, so two workers never run the same task at the same moment; the lock goes with the
// connection if the process dies.

const timers: NodeJS.Timeout[] = [];
let isStopping = false;
const inFlight = new Set<Promise<void>>();

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
