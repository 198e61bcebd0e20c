import "server-only";
import type PgBoss from "pg-boss";
import { pool } from "@/lib/db";
import { type JobQueue } from "@/lib/jobs/define";

const created = new Set<string>();
const QUEUES_LOCK = `hashtextextended('posturedesk:pgboss-queues', 0)`;

/** pg-boss 10 needs each queue created (with its policy) before jobs are sent or worked. */
export async function ensureQueue(b: PgBoss, definition: JobQueue<unknown>): Promise<void> {
  if (created.has(definition.name)) return;
  const options = {
    name: definition.name,
    policy: definition.policy,
    retryLimit: definition.retryLimit,
    retryDelay: definition.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: definition.expireInSeconds,
  };
  // Several instances starting at once (a deployment) create the same queues at the same moment, and
  // pg-boss's create_queue (a row plus a partition table) deadlocks against itself: one process at a
  // time, serialized by a session advisory lock held on a connection of our own pool.
  const lock = await pool().connect();
  try {
    await lock.query(`SELECT pg_advisory_lock(${QUEUES_LOCK})`);
    if (await b.getQueue(definition.name)) await b.updateQueue(definition.name, options);
    else await b.createQueue(definition.name, options);
  } finally {
    await lock.query(`SELECT pg_advisory_unlock(${QUEUES_LOCK})`).catch(() => {});
    lock.release();
  }
  created.add(definition.name);
}
