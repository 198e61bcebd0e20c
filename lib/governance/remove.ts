import "server-only";

// Removing the governance assignments PostureDesk wrote for a ServiceNow connection's tickets, offered when
// the connection is archived (Defender deletes the assignments of its own ServiceNow integration when that
// integration is removed: https://learn.microsoft.com/azure/defender-for-cloud/create-ticket-servicenow).
// Done in the background as a sync run of the connection: the archive request queues the run (its total
// known up front) and a job removes the assignments — one history event per assignment (removed, or a
// retryable error that keeps the row), progress on the run as it goes, the counts when it ends, and audit
// entries for the request (the admin) and the outcome. The job is idempotent: run again after a crash, it
// continues with the assignments still stored (removed ones are gone from the table).
import { z } from "zod";
import { audit, SYSTEM_ACTOR } from "@/lib/audit/audit";
import { assertRole, type Caller } from "@/lib/auth/authorize";
import { db } from "@/lib/db";
import { WITH_TENANT_SECRET, type TenantCredentials } from "@/lib/azure-tenants/client";
import { AppError, isAppError } from "@/lib/http/errors";
import { defineJob } from "@/lib/jobs/define";
import { enqueue } from "@/lib/jobs/enqueue";
import { type SyncEventInput, writeSyncEvents } from "@/lib/sync/events";
import { governanceClientFor } from "./azure";

const CONCURRENCY = 4;

/** Managed assignments that follow a ticket of this connection (what archiving offers to remove). */
function whereOfConnection(connectionId: string) {
  return { isManaged: true, finding: { links: { some: { activeConnectionId: connectionId, module: "itsm" as const } } } };
}

export async function countConnectionGovernance(actor: Caller, connectionId: string): Promise<number> {
  assertRole(actor, "analyst", "Reading a connection's governance assignments");
  return db().governanceAssignment.count({ where: whereOfConnection(connectionId) });
}

export type GovernanceRemovalRequest = { runId: string; total: number };

export const ZGovernanceCleanupPayload = z.object({ runId: z.string().uuid() });
export type GovernanceCleanupPayload = z.infer<typeof ZGovernanceCleanupPayload>;

const TERMINAL = ["succeeded", "partial", "failed", "canceled"];

/** Queues the removal of the connection's managed assignments as a run (admin); the job does the work. Null when there are none. */
export async function requestConnectionGovernanceRemoval(
  actor: Caller,
  connectionId: string,
  meta: { requestId?: string } = {},
): Promise<GovernanceRemovalRequest | null> {
  assertRole(actor, "admin", "Removing a connection's governance assignments");
  const total = await db().governanceAssignment.count({ where: whereOfConnection(connectionId) });
  if (total === 0) return null;
  const run = await db().syncRun.create({
    data: {
      kind: "servicenow_sync",
      trigger: "manual",
      status: "queued",
      connectionId,
      phase: "governance-cleanup: queued",
      progressTotal: total,
      progressDone: 0,
      counts: { mode: "governance_cleanup" },
      requestedByType: actor.type,
      requestedById: actor.id,
    },
  });
  const jobId = await enqueue(governanceCleanupJob, { runId: run.id }, { singletonKey: run.id });
  if (jobId) await db().syncRun.update({ where: { id: run.id }, data: { jobId } });
  await audit({
    actor,
    action: "governance.remove.request",
    targetType: "servicenow_connection",
    targetId: connectionId,
    after: { runId: run.id, total },
    requestId: meta.requestId,
  });
  return { runId: run.id, total };
}

export type GovernanceRemoval = { runId: string; removed: number; failed: number };

/** The job: removes what is still stored of the connection's managed assignments, recording each on the run. */
export async function runGovernanceCleanup(payload: GovernanceCleanupPayload): Promise<GovernanceRemoval | null> {
  const run = await db().syncRun.findUnique({ where: { id: payload.runId } });
  if (!run || TERMINAL.includes(run.status)) return null;
  if (!run.connectionId) throw new AppError("VALIDATION", { message: `Run ${run.id} names no connection` });
  const connectionId = run.connectionId;
  // A run picked up again after a crash: what it removed before is counted from its events.
  let removed = await db().syncEvent.count({ where: { runId: run.id, action: "removed", entityType: "governance" } });
  let failed = 0;
  await db().syncRun.update({
    where: { id: run.id },
    data: {
      status: "running",
      phase: "governance-cleanup",
      startedAt: run.startedAt ?? new Date(),
      heartbeatAt: new Date(),
      progressDone: removed,
    },
  });
  const rows = await db().governanceAssignment.findMany({
    where: whereOfConnection(connectionId),
    select: {
      id: true,
      findingId: true,
      assignmentKey: true,
      finding: { select: { resourceId: true, resourceName: true, recommendationKey: true, azureTenant: { omit: WITH_TENANT_SECRET } } },
    },
  });
  const byTenant = new Map<string, { tenant: TenantCredentials; rows: typeof rows }>();
  for (const row of rows) {
    const group = byTenant.get(row.finding.azureTenant.id) ?? { tenant: row.finding.azureTenant, rows: [] };
    group.rows.push(row);
    byTenant.set(row.finding.azureTenant.id, group);
  }
  for (const { tenant, rows: tenantRows } of byTenant.values()) {
    let client: Awaited<ReturnType<typeof governanceClientFor>> | null = null;
    let clientError: unknown = null;
    try {
      client = await governanceClientFor(tenant);
    } catch (error) {
      clientError = error;
    }
    const queue = [...tenantRows];
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
        for (let row = queue.shift(); row; row = queue.shift()) {
          let event: SyncEventInput;
          try {
            if (!client) throw clientError;
            // 200 deleted, 204 was not there (removed in the portal): either way Defender no longer has it.
            await client.governance.deleteAssignment({
              resourceId: row.finding.resourceId,
              assessmentName: row.finding.recommendationKey,
              assignmentKey: row.assignmentKey,
            });
            await db().governanceAssignment.delete({ where: { id: row.id } });
            removed++;
            event = {
              action: "removed",
              entityType: "governance",
              entityId: row.id,
              findingId: row.findingId,
              message: `Governance assignment of ${row.finding.resourceName} removed from Defender for Cloud`,
            };
          } catch (error) {
            failed++;
            const message = isAppError(error) ? error.userMessage : error instanceof Error ? error.message : String(error);
            await db().governanceAssignment.update({ where: { id: row.id }, data: { azureError: message.slice(0, 1000) } });
            event = {
              action: "error",
              entityType: "governance",
              entityId: row.id,
              findingId: row.findingId,
              message: `Could not remove the governance assignment of ${row.finding.resourceName}: ${message}`,
              isRetryable: true,
            };
          }
          await writeSyncEvents(run.id, [event]);
          await db().syncRun.update({ where: { id: run.id }, data: { progressDone: { increment: 1 }, heartbeatAt: new Date() } });
        }
      }),
    );
  }
  await db().syncRun.update({
    where: { id: run.id },
    data: {
      status: failed === 0 ? "succeeded" : removed > 0 ? "partial" : "failed",
      finishedAt: new Date(),
      counts: { mode: "governance_cleanup", governance: { removed, failed } },
      error: failed > 0 ? `${failed} governance assignments could not be removed; they stay listed with Azure's answer` : null,
    },
  });
  await audit({
    actor: SYSTEM_ACTOR,
    action: "governance.remove",
    targetType: "servicenow_connection",
    targetId: connectionId,
    after: { runId: run.id, removed, failed },
  });
  return { runId: run.id, removed, failed };
}

export const governanceCleanupJob = defineJob<GovernanceCleanupPayload>({
  name: "governance-cleanup",
  payload: ZGovernanceCleanupPayload,
  policy: "standard",
  retryLimit: 2,
  retryDelaySeconds: 60,
  // Four deletes at a time; thousands of assignments take minutes.
  expireInSeconds: 3600,
  handler: async (payload) => {
    await runGovernanceCleanup(payload);
  },
});
