import "server-only";

// The Defender ingestion as a pg-boss job: `requestIngestion` creates the SyncRun (queued) and enqueues
// `{ runId, mode }` keyed by the tenant connection ("stately": one queued and one running per tenant;
// a second request while one is queued answers that run). The handler marks the run running, calls
// ingestDefender and records the outcome; it is idempotent (a finished run is never run again) and a
// run left "running" by a killed worker is failed once its heartbeat is 10 minutes old.
import { z } from "zod";
import { audit } from "@/lib/audit/audit";
import { assertRole, type Caller } from "@/lib/auth/authorize";
import { db } from "@/lib/db";
import { type SyncStatus, type SyncTrigger } from "@/lib/generated/prisma/client";
import { AppError, isAppError } from "@/lib/http/errors";
import { defineJob, type JobContext } from "@/lib/jobs/define";
import { enqueue } from "@/lib/jobs/enqueue";
import { type TSyncAccepted } from "@/lib/schemas/azure-tenants";
import { writeComplianceSnapshot } from "@/lib/compliance/snapshot-sql";
import { logger } from "@/lib/log";
import { writeSyncEvents } from "@/lib/sync/events";
import { finishIngestRun } from "@/lib/sync/runs-sql";
import { ingestDefender, IngestionBusyError, type IngestMode } from "./ingest";

export const ZDefenderIngestPayload = z.object({ runId: z.string().uuid(), mode: z.enum(["full", "incremental"]) });
export type DefenderIngestPayload = z.infer<typeof ZDefenderIngestPayload>;

const RETRY_LIMIT = 2;
const STALE_MINUTES = 10;
const TERMINAL: SyncStatus[] = ["succeeded", "partial", "failed", "canceled"];

/** Fails ingestion runs whose worker died: running without a heartbeat for 10 minutes, or never started in a day. */
export async function recoverStaleIngestRuns(): Promise<number> {
  const now = new Date();
  const running = await db().syncRun.updateMany({
    where: {
      kind: "defender_ingest",
      status: "running",
      OR: [
        { heartbeatAt: { lt: new Date(now.getTime() - STALE_MINUTES * 60_000) } },
        { heartbeatAt: null, queuedAt: { lt: new Date(now.getTime() - STALE_MINUTES * 60_000) } },
      ],
    },
    data: {
      status: "failed",
      finishedAt: now,
      error: `Interrupted: no sign of life for ${STALE_MINUTES} minutes (the worker running it stopped). The next run ingests everything again.`,
    },
  });
  const queued = await db().syncRun.updateMany({
    where: { kind: "defender_ingest", status: "queued", queuedAt: { lt: new Date(now.getTime() - 24 * 3600_000) } },
    data: {
      status: "failed",
      finishedAt: now,
      error: "Never started within 24 hours: is a worker running (WORKER_IN_PROCESS or npm run worker)?",
    },
  });
  return running.count + queued.count;
}

/** How long a run waits for another ingestion of its tenant (a connection sync's Defender phase, say) to end. */
const BUSY_WAIT_MS = 10 * 60_000;

/**
 * ingestDefender, waiting while another ingestion of the tenant holds its lock (polling, with the run's
 * heartbeat kept fresh and its phase saying why), rather than failing and waiting out pg-boss's retry delay.
 */
async function ingestWhenFree(runId: string, azureTenantId: string, mode: IngestMode): Promise<Awaited<ReturnType<typeof ingestDefender>>> {
  const deadline = Date.now() + BUSY_WAIT_MS;
  for (let waited = false; ; waited = true) {
    try {
      return await ingestDefender(azureTenantId, { mode, runId });
    } catch (error) {
      if (!(error instanceof IngestionBusyError) || Date.now() > deadline) throw error;
      if (!waited) logger().info({ runId, azureTenantId }, "another ingestion of this tenant is running; waiting for it to end");
      await db().syncRun.update({
        where: { id: runId },
        data: { heartbeatAt: new Date(), phase: "waiting for another ingestion of this tenant" },
      });
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }
}

export async function runIngestJob(payload: DefenderIngestPayload, ctx?: Pick<JobContext, "jobId" | "retryCount">): Promise<void> {
  await recoverStaleIngestRuns();
  const run = await db().syncRun.findUnique({ where: { id: payload.runId } });
  if (!run || !run.azureTenantId || TERMINAL.includes(run.status)) return;
  await db().syncRun.update({
    where: { id: run.id },
    data: { status: "running", heartbeatAt: new Date(), error: null, ...(ctx ? { jobId: ctx.jobId } : {}) },
  });
  try {
    const result = await ingestWhenFree(run.id, run.azureTenantId, payload.mode);
    // The day's compliance snapshot follows every Defender pass; failing to write it never fails the ingestion.
    await writeComplianceSnapshot().catch((error: unknown) =>
      logger().warn({ err: error, runId: run.id }, "compliance snapshot not written"),
    );
    await finishIngestRun(run.id, result.status, result.problems.length ? `Finished with problems: ${result.problems.join("; ")}` : null);
  } catch (error) {
    const appError = isAppError(error) ? error : null;
    const message = appError?.message ?? (error instanceof Error ? error.message : String(error));
    const canRetry = (appError?.isRetryable ?? false) && (ctx?.retryCount ?? RETRY_LIMIT) < RETRY_LIMIT;
    await writeSyncEvents(run.id, [{ action: "error", entityType: "run", message, isRetryable: canRetry }]);
    if (canRetry) {
      await db().syncRun.update({
        where: { id: run.id },
        data: { status: "queued", error: `Attempt ${(ctx?.retryCount ?? 0) + 1} failed, retrying: ${message}`.slice(0, 2000) },
      });
      throw error;
    }
    await finishIngestRun(run.id, "failed", message);
  }
}

export const defenderIngestJob = defineJob<DefenderIngestPayload>({
  name: "defender-ingest",
  payload: ZDefenderIngestPayload,
  policy: "stately",
  retryLimit: RETRY_LIMIT,
  retryDelaySeconds: 60,
  // A 100,000-assessment tenant takes minutes; an hour means the worker is gone.
  expireInSeconds: 3600,
  handler: (payload, ctx) => runIngestJob(payload, ctx),
});

/** Queues an ingestion of a tenant connection (analyst+); a run already queued for it is answered instead. */
export async function requestIngestion(
  actor: Caller,
  azureTenantId: string,
  options: { mode: IngestMode; trigger: SyncTrigger; requestId?: string },
): Promise<TSyncAccepted> {
  assertRole(actor, "analyst", "Running a Defender ingestion");
  const tenant = await db().azureTenant.findUnique({ where: { id: azureTenantId }, select: { id: true, name: true, deletedAt: true } });
  if (!tenant) throw new AppError("NOT_FOUND", { message: "No such Azure tenant connection" });
  if (tenant.deletedAt) throw new AppError("CONFLICT", { message: `The Azure tenant connection "${tenant.name}" is archived` });
  await recoverStaleIngestRuns();
  const queued = await db().syncRun.findFirst({
    where: { azureTenantId, kind: "defender_ingest", status: "queued" },
    orderBy: { queuedAt: "asc" },
    select: { id: true },
  });
  if (queued) return { runId: queued.id, isNew: false };

  const isPerson = actor.type === "user" || actor.type === "token";
  const run = await db().syncRun.create({
    data: {
      kind: "defender_ingest",
      trigger: options.trigger,
      status: "queued",
      azureTenantId,
      phase: "ingest-defender: queued",
      counts: { defender: { mode: options.mode } },
      requestedByType: actor.type,
      requestedById: actor.id,
    },
  });
  const jobId = await enqueue(defenderIngestJob, { runId: run.id, mode: options.mode }, { singletonKey: azureTenantId });
  if (!jobId) {
    // pg-boss already holds a queued job for this tenant (a concurrent request won): answer its run.
    await finishIngestRun(run.id, "canceled", "Another ingestion of this tenant was already queued");
    const other = await db().syncRun.findFirst({
      where: { azureTenantId, kind: "defender_ingest", status: { in: ["queued", "running"] } },
      orderBy: { queuedAt: "desc" },
      select: { id: true },
    });
    return { runId: other?.id ?? run.id, isNew: false };
  }
  await db().syncRun.update({ where: { id: run.id }, data: { jobId } });
  if (isPerson) {
    await audit({
      actor,
      action: "sync.request",
      targetType: "azure_tenant",
      targetId: azureTenantId,
      after: { runId: run.id, mode: options.mode, kind: "defender_ingest" },
      requestId: options.requestId,
    });
  }
  return { runId: run.id, isNew: true };
}
