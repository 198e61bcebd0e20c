import "server-only";

// Serializes work on one key across every process sharing the database: a PostgreSQL transaction-level
// advisory lock, taken with pg_try_advisory_xact_lock inside the transaction that does the work, so
// the lookup in ServiceNow, the create and the database writes happen under the lock and commit (or
// roll back) together.
//
// Waiters poll instead of blocking in pg_advisory_xact_lock: a blocked waiter would hold a pooled
// connection for as long as the holder talks to ServiceNow, and twenty concurrent requests for the same
// ticket would exhaust the pool the holder needs to finish. Polling holds a connection only for the
// few milliseconds of each attempt.
import { db } from "@/lib/db";
import { type Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";

class LockBusy extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type LockOptions = {
  /** How long to wait for the lock before giving up with 503 (default 120 s). */
  waitMs?: number;
  /** Longest the locked work may take before the transaction is rolled back (default 300 s; above the client's worst case of four 60 s Retry-After waits). */
  timeoutMs?: number;
};

/**
 * Runs `work` in a transaction holding every one of `keys` (all or none: a busy key releases the others
 * by rolling back, and the whole set is tried again, so two callers can never deadlock).
 */
export async function withAdvisoryLock<T>(
  keys: string | string[],
  work: (tx: Prisma.TransactionClient) => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const sorted = [...new Set(Array.isArray(keys) ? keys : [keys])].sort();
  const deadline = Date.now() + (options.waitMs ?? 120_000);
  for (let attempt = 0; ; attempt++) {
    try {
      return await db().$transaction(
        async (tx) => {
          for (const key of sorted) {
            const rows = await tx.$queryRaw<
              Array<{ isLocked: boolean }>
            >`SELECT pg_try_advisory_xact_lock(hashtextextended(${key}, 0)) AS "isLocked"`;
            if (!rows[0]?.isLocked) throw new LockBusy();
          }
          return work(tx);
        },
        { maxWait: 30_000, timeout: options.timeoutMs ?? 300_000 },
      );
    } catch (error) {
      if (!(error instanceof LockBusy)) throw error;
      if (Date.now() >= deadline) {
        throw new AppError("SERVICE_UNAVAILABLE", {
          message: "Another request is still creating this ticket; try again in a moment",
          isRetryable: true,
          retryAfterSeconds: 5,
        });
      }
      // 25 ms doubling to 1 s, with jitter so waiters do not retry in lockstep.
      const base = Math.min(1000, 25 * 2 ** Math.min(attempt, 6));
      await sleep(base / 2 + Math.random() * (base / 2));
    }
  }
}
