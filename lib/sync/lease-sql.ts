import "server-only";

// One running sync per connection, across every worker process: a PostgreSQL session advisory lock
// held on a dedicated pooled connection for as long as the holder works on the connection. If the
// process dies (SIGKILL, OOM, power), PostgreSQL drops its session and the lock with it at once, so
// the next worker can tell a dead run from a slow one without waiting for a timeout: a run still
// marked "running" while nobody holds its connection's lock was interrupted.
import type pg from "pg";
import { pool } from "@/lib/db";

export type ConnectionLease = {
  connectionId: string;
  /** The connection holding the lock; heartbeats use it, so a broken one also shows up here. */
  client: pg.PoolClient;
  /** True once the lock's connection failed: the holder must stop (another worker may take over). */
  isLost(): boolean;
  markLost(): void;
  release(): Promise<void>;
};

export const leaseKey = (connectionId: string) => `posturedesk:sync:${connectionId}`;

/** Takes the connection's lock, or returns null at once when another live worker holds it. */
export async function acquireConnectionLease(connectionId: string): Promise<ConnectionLease | null> {
  const client = await pool().connect();
  let isLost = false;
  const onError = () => {
    isLost = true;
  };
  client.on("error", onError);
  try {
    const { rows } = await client.query<{ isLocked: boolean }>(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS "isLocked"`, [
      leaseKey(connectionId),
    ]);
    if (!rows[0]?.isLocked) {
      client.off("error", onError);
      client.release();
      return null;
    }
  } catch (error) {
    client.off("error", onError);
    client.release(true);
    throw error;
  }
  let isReleased = false;
  return {
    connectionId,
    client,
    isLost: () => isLost,
    markLost: () => {
      isLost = true;
    },
    async release() {
      if (isReleased) return;
      isReleased = true;
      let isBroken = isLost;
      if (!isLost) {
        await client.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [leaseKey(connectionId)]).catch(() => {
          isBroken = true;
        });
      }
      client.off("error", onError);
      // A connection whose state is unknown is closed rather than reused (closing also drops the lock).
      client.release(isBroken);
    },
  };
}

/** Whether some process holds the connection's lock right now (for status pages and tests). */
export async function isConnectionLeased(connectionId: string): Promise<boolean> {
  const { rows } = await pool().query<{ isHeld: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM pg_locks
       WHERE locktype = 'advisory' AND granted
         AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)
     ) AS "isHeld"`,
    [leaseKey(connectionId)],
  );
  return rows[0]?.isHeld ?? false;
}
