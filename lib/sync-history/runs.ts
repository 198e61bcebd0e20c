import "server-only";

// The sync history: runs newest first with filters, and one run with its progress, event tallies and
// failed items. Every role may read it (managers review what automation changed).

import { assertRole, type Caller } from "@/lib/auth/authorize";
import { db } from "@/lib/db";
import { type Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { type TPage } from "@/lib/schemas/common";
import { type TSyncRunDetail, type TSyncRunDto, type TSyncRunsQuery } from "@/lib/schemas/sync-runs";
import { RUN_INCLUDE, type RunRow, toSyncRunDtos } from "./dto";

/** A date-only bound means that whole day (UTC): `to=2026-11-30` includes the 30th. */
function bound(value: string, edge: "from" | "to"): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T${edge === "from" ? "00:00:00.000" : "23:59:59.999"}Z`);
  return new Date(value);
}

export async function listSyncRuns(actor: Caller, q: TSyncRunsQuery): Promise<TPage<TSyncRunDto>> {
  assertRole(actor, "manager", "Reading the sync history");
  const where: Prisma.SyncRunWhereInput = {
    ...(q.connectionId ? { connectionId: q.connectionId } : {}),
    ...(q.azureTenantId ? { azureTenantId: q.azureTenantId } : {}),
    ...(q.status.length ? { status: { in: q.status } } : {}),
    ...(q.kind.length ? { kind: { in: q.kind } } : {}),
    ...(q.trigger.length ? { trigger: { in: q.trigger } } : {}),
    ...(q.from || q.to
      ? { queuedAt: { ...(q.from ? { gte: bound(q.from, "from") } : {}), ...(q.to ? { lte: bound(q.to, "to") } : {}) } }
      : {}),
  };
  const [rows, total] = await Promise.all([
    db().syncRun.findMany({
      where,
      include: RUN_INCLUDE,
      orderBy: [{ queuedAt: "desc" }, { id: "desc" }],
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
    }),
    db().syncRun.count({ where }),
  ]);
  return { items: await toSyncRunDtos(rows), total, page: q.page, pageSize: q.pageSize };
}

export async function loadRun(id: string): Promise<RunRow> {
  const run = await db().syncRun.findUnique({ where: { id }, include: RUN_INCLUDE });
  if (!run) throw new AppError("NOT_FOUND", { message: "No such sync run" });
  return run;
}

/** Whether a run's failed items can be retried from the history: a finished ServiceNow connection run. */
export function canRetryRun(
  run: { status: string; connectionId: string | null; kind: string },
  failed: { errors: number; pendingRetries: number },
): boolean {
  const isFinished = ["succeeded", "partial", "failed", "canceled"].includes(run.status);
  return (
    isFinished &&
    run.connectionId !== null &&
    run.kind !== "cc_export" &&
    run.kind !== "ticket_request" &&
    failed.errors + failed.pendingRetries > 0
  );
}

/** GET /api/sync-runs/{id} — polled about every second by the run page while the run is active. */
export async function getSyncRun(actor: Caller, id: string): Promise<TSyncRunDetail> {
  assertRole(actor, "manager", "Reading the sync history");
  const run = await loadRun(id);
  const [[dto], retryable, pendingRetries] = await Promise.all([
    toSyncRunDtos([run]),
    db().syncEvent.count({ where: { runId: id, action: "error", isRetryable: true } }),
    db().syncRetryItem.count({ where: { lastRunId: id } }),
  ]);
  const errors = dto!.eventCounts.error ?? 0;
  return { ...dto!, errors, retryableErrors: retryable, pendingRetries, canRetry: canRetryRun(run, { errors, pendingRetries }) };
}
