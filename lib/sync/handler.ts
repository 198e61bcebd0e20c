import "server-only";

// The sync job: take the connection's lease, close runs a dead worker left behind, then run every due
// queued run of the connection in order until none is left. A job that finds the lease taken returns
// at once: the holder runs what is queued (it checks again after releasing, so a run queued while it
// was finishing is not stranded).
import { db } from "@/lib/db";
import { type JobContext } from "@/lib/jobs/define";
import { wakeConnectionWorker } from "./enqueue-sql";
import { acquireConnectionLease } from "./lease-sql";
import { executeFullRun } from "./run-full";
import { executeTargetedRun } from "./run-targeted";
import { claimNext, ENGINE_KINDS, recoverInterruptedRuns } from "./runs";

/** Upper bound of lease rounds per job (each round runs everything queued at the time). */
const MAX_ROUNDS = 20;

async function dueQueued(connectionId: string): Promise<{ isDue: boolean; nextAt: Date | null }> {
  const next = await db().syncRun.findFirst({
    where: { connectionId, status: "queued", kind: { in: [...ENGINE_KINDS] } },
    orderBy: { queuedAt: "asc" },
    select: { queuedAt: true },
  });
  return { isDue: next !== null && next.queuedAt.getTime() <= Date.now(), nextAt: next?.queuedAt ?? null };
}

export async function handleConnectionJob(payload: { connectionId: string }, ctx: JobContext): Promise<void> {
  const { connectionId } = payload;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const lease = await acquireConnectionLease(connectionId);
    if (!lease) return;
    try {
      await recoverInterruptedRuns(lease);
      for (;;) {
        if (lease.isLost()) break;
        const run = await claimNext(lease, ctx.jobId);
        if (!run) break;
        if (run.kind === "targeted_sync") await executeTargetedRun(lease, run, ctx);
        else await executeFullRun(lease, run, ctx);
      }
    } finally {
      await lease.release();
    }
    const pending = await dueQueued(connectionId);
    if (pending.isDue) continue;
    // A follow-up waiting for its backoff: make sure a worker wakes for it.
    if (pending.nextAt)
      await wakeConnectionWorker(connectionId, {
        startAfterSeconds: Math.max(1, Math.ceil((pending.nextAt.getTime() - Date.now()) / 1000)),
      });
    return;
  }
}
