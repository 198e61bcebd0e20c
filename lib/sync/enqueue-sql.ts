import "server-only";

// Asking for a sync: a SyncRun row (status queued, visible in the history at once) and a job that
// wakes a worker for the connection. The job carries only the connection: whichever worker gets the
// connection's lease runs every queued run of it in order, so a job refused by the queue (one is
// already waiting) loses nothing, and double clicks or webhook storms coalesce.
import { audit } from "@/lib/audit/audit";
import { assertRole, type Caller } from "@/lib/auth/authorize";
import { db } from "@/lib/db";
import { type SyncTrigger } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { enqueue } from "@/lib/jobs/enqueue";
import { syncConnectionJob } from "./jobs";

export type EnqueueResult = { runId: string; isNew: boolean };

async function usableConnection(connectionId: string) {
  const connection = await db().serviceNowConnection.findUnique({
    where: { id: connectionId },
    select: { id: true, name: true, deletedAt: true },
  });
  if (!connection) throw new AppError("NOT_FOUND", { message: "No such ServiceNow connection" });
  if (connection.deletedAt)
    throw new AppError("CONFLICT", { message: `The ServiceNow connection "${connection.name}" is archived; it is not synced any more` });
  return connection;
}

/** Wakes a worker for the connection (a no-op when a wake-up is already waiting). */
export async function wakeConnectionWorker(connectionId: string, options: { startAfterSeconds?: number } = {}): Promise<void> {
  await enqueue(
    syncConnectionJob,
    { connectionId },
    { singletonKey: options.startAfterSeconds ? `${connectionId}:later` : connectionId, startAfterSeconds: options.startAfterSeconds },
  );
}

export type ConnectionSyncRequest = {
  trigger: Extract<SyncTrigger, "manual" | "api" | "schedule" | "rule" | "startup">;
  actor?: Caller;
  /** Re-read every ticket and run a full Defender pass. */
  mode?: "full" | "incremental";
  requestId?: string;
};

/**
 * Queues a full bidirectional sync of a connection ("Run now", schedules, rules). A run of the same
 * trigger that is still queued is answered instead of a second one.
 */
export async function enqueueConnectionSync(connectionId: string, request: ConnectionSyncRequest): Promise<EnqueueResult> {
  if (request.actor) assertRole(request.actor, "analyst", "Running a sync");
  const connection = await usableConnection(connectionId);
  const mode = request.mode ?? "incremental";
  const by = request.actor ? { requestedByType: request.actor.type, requestedById: request.actor.id } : {};
  const result = await db().$transaction(async (tx) => {
    // Serialize requests for one connection so two clicks cannot both see "nothing queued".
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`posturedesk:sync-enqueue:${connectionId}`}, 0))`;
    const queued = await tx.syncRun.findFirst({
      where: {
        connectionId,
        kind: "servicenow_sync",
        status: "queued",
        trigger: request.trigger,
        queuedAt: { lte: new Date() },
        ...(mode === "full" ? { counts: { path: ["mode"], equals: "full" } } : {}),
      },
      orderBy: { queuedAt: "asc" },
      select: { id: true },
    });
    if (queued) return { runId: queued.id, isNew: false };
    const run = await tx.syncRun.create({
      data: { kind: "servicenow_sync", trigger: request.trigger, connectionId, counts: { mode, attempt: 1 }, ...by },
      select: { id: true },
    });
    if (request.actor && (request.trigger === "manual" || request.trigger === "api")) {
      await audit(
        {
          actor: request.actor,
          action: "connection.sync",
          targetType: "servicenow_connection",
          targetId: connectionId,
          after: { runId: run.id, mode, connection: connection.name },
          requestId: request.requestId,
        },
        tx,
      );
    }
    return { runId: run.id, isNew: true };
  });
  await wakeConnectionWorker(connectionId);
  return result;
}

/**
 * Queues a targeted sync of one ServiceNow record (webhook). A targeted run of the same record that
 * is still queued is answered instead (a burst of updates to one ticket = one run).
 */
export async function enqueueTargetedSync(connectionId: string, target: { table: string; sysId: string }): Promise<EnqueueResult> {
  await usableConnection(connectionId);
  const result = await db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`posturedesk:sync-enqueue:${connectionId}`}, 0))`;
    const queued = await tx.syncRun.findFirst({
      where: { connectionId, kind: "targeted_sync", status: "queued", targetTable: target.table, targetSysId: target.sysId },
      select: { id: true },
    });
    if (queued) return { runId: queued.id, isNew: false };
    const run = await tx.syncRun.create({
      data: {
        kind: "targeted_sync",
        trigger: "webhook",
        connectionId,
        targetTable: target.table,
        targetSysId: target.sysId,
        counts: { attempt: 1 },
      },
      select: { id: true },
    });
    return { runId: run.id, isNew: true };
  });
  await wakeConnectionWorker(connectionId);
  return result;
}
