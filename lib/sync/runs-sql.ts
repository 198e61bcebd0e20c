import "server-only";
import { type Prisma, type SyncRun, type SyncStatus } from "@/lib/generated/prisma/client";
import { db, transactionOn } from "@/lib/db";
import { logger } from "@/lib/log";
import { type ConnectionLease } from "./lease-sql";
import { writeSyncEvents } from "./events";

// The SQL of runs.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

export const ENGINE_KINDS = ["servicenow_sync", "targeted_sync"] as const;

/** A chain of interrupted runs stops being resumed after this many attempts (a run that kills its worker). */
export const MAX_RESUMES = 8;

export type RunOptions = {
  /** Full run: ignore the ServiceNow watermark and run a full Defender pass. */
  mode?: "full" | "incremental";
  /** Id of the interrupted or failed run this one resumes. */
  resumes?: string;
  attempt?: number;
};

export function runOptionsOf(run: Pick<SyncRun, "counts">): Required<Pick<RunOptions, "mode" | "attempt">> & RunOptions {
  const c = (run.counts ?? {}) as Record<string, unknown>;
  return {
    mode: c.mode === "full" ? "full" : "incremental",
    attempt: typeof c.attempt === "number" ? c.attempt : 1,
    ...(typeof c.resumes === "string" ? { resumes: c.resumes } : {}),
  };
}

/**
 * Closes the connection's runs left "running" by a dead worker and queues their replacements.
 * Only call while holding the lease: then no live worker can be running them.
 */
export async function recoverInterruptedRuns(lease: ConnectionLease): Promise<string[]> {
  const { rows } = await lease.client.query<SyncRun>(
    `UPDATE "SyncRun" SET "status" = 'failed', "finishedAt" = now(),
       "error" = 'Interrupted: the worker running it stopped (crash, restart or lost database connection); a new run resumes the work'
     WHERE "connectionId" = $1::uuid AND "status" = 'running' AND "kind"::text = ANY($2::text[])
     RETURNING *`,
    [lease.connectionId, ENGINE_KINDS],
  );
  const replacements: string[] = [];
  for (const run of rows) {
    const options = runOptionsOf(run);
    await writeSyncEvents(run.id, [
      {
        action: "error",
        entityType: "connection",
        entityId: lease.connectionId,
        message: "Interrupted: the worker running this sync stopped before it finished",
        isRetryable: options.attempt < MAX_RESUMES,
      },
    ]);
    if (options.attempt >= MAX_RESUMES) {
      logger().error(
        { runId: run.id, attempt: options.attempt },
        "sync run interrupted too often; not resumed (the next scheduled run starts afresh)",
      );
      continue;
    }
    const replacement = await db().syncRun.create({
      data: continuationOf(run, { mode: options.mode, resumes: run.id, attempt: options.attempt + 1 }),
      select: { id: true },
    });
    replacements.push(replacement.id);
  }
  if (rows.length)
    logger().warn(
      { connectionId: lease.connectionId, interrupted: rows.map((r) => r.id), replacements },
      "recovered interrupted sync runs",
    );
  return replacements;
}

/** The oldest due queued run of the connection (full and targeted alike, in order). */
export async function claimNext(lease: ConnectionLease, jobId: string | null): Promise<SyncRun | null> {
  const { rows } = await lease.client.query<SyncRun>(
    `UPDATE "SyncRun" SET "status" = 'running', "startedAt" = now(), "heartbeatAt" = now(), "jobId" = $3
     WHERE "id" = (
       SELECT "id" FROM "SyncRun"
       WHERE "connectionId" = $1::uuid AND "status" = 'queued' AND "queuedAt" <= now() AND "kind"::text = ANY($2::text[])
       ORDER BY "queuedAt", "id" LIMIT 1
     )
     RETURNING *`,
    [lease.connectionId, ENGINE_KINDS, jobId],
  );
  return rows[0] ?? null;
}

/** A new queued run that carries `run` on: same kind, trigger, connection, target and requester. */
export function continuationOf(run: SyncRun, counts: Prisma.InputJsonObject) {
  return {
    kind: run.kind,
    trigger: run.trigger,
    connectionId: run.connectionId,
    targetTable: run.targetTable,
    targetSysId: run.targetSysId,
    requestedByType: run.requestedByType,
    requestedById: run.requestedById,
    counts,
  } satisfies Prisma.SyncRunUncheckedCreateInput;
}

export type FinishInput = {
  status: "succeeded" | "partial" | "failed";
  error?: string | null;
  counts: Record<string, unknown>;
  /** Full runs: the ServiceNow watermark to commit with the run (never moves backwards). */
  watermark?: Date | null;
  isFullRun?: boolean;
};

/**
 * Ends runs and, for a full run, commits the connection's watermark and lastSyncAt in the same
 * transaction. Nothing is written when the runs are no longer ours (taken over after a presumed crash).
 */
export async function finishRuns(lease: ConnectionLease, runIds: string[], input: FinishInput): Promise<boolean> {
  try {
    return await transactionOn(
      lease.client,
      async (client) => {
        const { rowCount } = await client.query(
          `UPDATE "SyncRun" SET "status" = $2::"SyncStatus", "finishedAt" = now(), "heartbeatAt" = now(), "phase" = 'done',
             "error" = $3, "counts" = COALESCE("counts", '{}'::jsonb) || $4::jsonb
           WHERE "id" = ANY($1::uuid[]) AND "status" = 'running'`,
          [runIds, input.status, input.error ?? null, JSON.stringify(input.counts)],
        );
        if (rowCount !== runIds.length) throw new RunsTakenOver();
        if (input.isFullRun && input.status !== "failed") {
          await client.query(
            `UPDATE "ServiceNowConnection" SET "lastSyncAt" = now(),
               "snWatermark" = CASE WHEN $2::timestamptz IS NULL THEN "snWatermark" ELSE GREATEST(COALESCE("snWatermark", $2::timestamptz), $2::timestamptz) END
             WHERE "id" = $1::uuid`,
            [lease.connectionId, input.watermark ?? null],
          );
        }
        return true;
      },
      () => lease.markLost(),
    );
  } catch (error) {
    if (error instanceof RunsTakenOver) return false;
    throw error;
  }
}

/**
 * Ends a run that holds no connection lease (a Defender ingestion's, lib/ingestion): status, error (cut to
 * 2,000 characters), end time and a last heartbeat.
 */
export async function finishIngestRun(runId: string, status: SyncStatus, error: string | null): Promise<void> {
  await db().syncRun.update({
    where: { id: runId },
    data: { status, finishedAt: new Date(), error: error?.slice(0, 2000) ?? null, heartbeatAt: new Date() },
  });
}

/** Rolls finishRuns back: the runs are no longer ours (taken over after a presumed crash). */
class RunsTakenOver extends Error {}
