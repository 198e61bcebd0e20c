import "server-only";

// What the connection page shows about a connection's sync: the last finished run, the one running or
// queued, the next scheduled run, the webhook (configured? last notification?) and pending retries.
import { type Actor } from "@/lib/auth/actor";
import { assertRole } from "@/lib/auth/authorize";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { type SyncRun } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { countRetryItems } from "./retry-items";
import { ENGINE_KINDS } from "./runs";
import { type TConnectionSyncStatus, type TRunSummary } from "./schemas";

function summary(run: SyncRun | null): TRunSummary | null {
  if (!run) return null;
  return {
    id: run.id,
    kind: run.kind,
    trigger: run.trigger,
    status: run.status,
    phase: run.phase,
    progressDone: run.progressDone,
    progressTotal: run.progressTotal,
    queuedAt: run.queuedAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    error: run.error,
  };
}

export function webhookUrlFor(connectionId: string, appUrl = env().APP_URL): string {
  return `${appUrl.replace(/\/+$/, "")}/api/webhooks/servicenow/${connectionId}`;
}

export async function connectionSyncStatus(actor: Actor, connectionId: string): Promise<TConnectionSyncStatus> {
  assertRole(actor, "analyst", "Reading a connection's sync status");
  const connection = await db().serviceNowConnection.findUnique({ where: { id: connectionId }, omit: { webhookSecretEnc: false } });
  if (!connection) throw new AppError("NOT_FOUND", { message: "No such ServiceNow connection" });
  const kinds = { in: [...ENGINE_KINDS] };
  const [lastRun, activeRun, pendingRetries] = await Promise.all([
    db().syncRun.findFirst({
      where: { connectionId, kind: "servicenow_sync", status: { in: ["succeeded", "partial", "failed"] } },
      orderBy: { finishedAt: "desc" },
    }),
    db().syncRun.findFirst({
      where: { connectionId, kind: kinds, status: { in: ["running", "queued"] }, queuedAt: { lte: new Date() } },
      orderBy: [{ status: "desc" }, { queuedAt: "asc" }],
    }),
    countRetryItems(connectionId),
  ]);
  return {
    connectionId,
    syncIntervalMinutes: connection.syncIntervalMinutes,
    lastSyncAt: connection.lastSyncAt?.toISOString() ?? null,
    nextSyncAt: connection.deletedAt ? null : (connection.nextSyncAt?.toISOString() ?? null),
    watermark: connection.snWatermark?.toISOString() ?? null,
    lastRun: summary(lastRun),
    activeRun: summary(activeRun),
    webhook: {
      isConfigured: Boolean(connection.webhookSecretEnc) && !connection.deletedAt,
      url: webhookUrlFor(connectionId),
      lastReceivedAt: connection.lastWebhookAt?.toISOString() ?? null,
    },
    pendingRetries,
  };
}
