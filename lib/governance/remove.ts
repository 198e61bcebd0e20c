import "server-only";

// Removing the governance assignments PostureDesk wrote for a ServiceNow connection's tickets, offered when
// the connection is archived (Defender deletes the assignments of its own ServiceNow integration when that
// integration is removed: https://learn.microsoft.com/azure/defender-for-cloud/create-ticket-servicenow).
// Done as a sync run of the connection: one history event per assignment (removed, or a retryable error
// that keeps the row), the counts on the run, and an audit entry naming the run.
import { audit } from "@/lib/audit/audit";
import { assertRole, type Caller } from "@/lib/auth/authorize";
import { db } from "@/lib/db";
import { type AzureTenant } from "@/lib/generated/prisma/client";
import { isAppError } from "@/lib/http/errors";
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

export type GovernanceRemoval = { runId: string; removed: number; failed: number };

export async function removeConnectionGovernance(actor: Caller, connectionId: string, meta: { requestId?: string } = {}): Promise<GovernanceRemoval> {
  assertRole(actor, "admin", "Removing a connection's governance assignments");
  const rows = await db().governanceAssignment.findMany({
    where: whereOfConnection(connectionId),
    select: { id: true, findingId: true, assignmentKey: true, finding: { select: { resourceId: true, resourceName: true, recommendationKey: true, azureTenant: true } } },
  });
  const run = await db().syncRun.create({
    data: {
      kind: "servicenow_sync",
      trigger: "manual",
      status: "running",
      connectionId,
      phase: "governance-cleanup",
      startedAt: new Date(),
      progressTotal: rows.length,
      counts: { mode: "governance_cleanup" },
      requestedByType: actor.type,
      requestedById: actor.id,
    },
  });
  const byTenant = new Map<string, { tenant: AzureTenant; rows: typeof rows }>();
  for (const row of rows) {
    const group = byTenant.get(row.finding.azureTenant.id) ?? { tenant: row.finding.azureTenant, rows: [] };
    group.rows.push(row);
    byTenant.set(row.finding.azureTenant.id, group);
  }
  let removed = 0;
  let failed = 0;
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
            await client.governance.deleteAssignment({ resourceId: row.finding.resourceId, assessmentName: row.finding.recommendationKey, assignmentKey: row.assignmentKey });
            await db().governanceAssignment.delete({ where: { id: row.id } });
            removed++;
            event = { action: "removed", entityType: "governance", entityId: row.id, findingId: row.findingId, message: `Governance assignment of ${row.finding.resourceName} removed from Defender for Cloud` };
          } catch (error) {
            failed++;
            const message = isAppError(error) ? error.userMessage : error instanceof Error ? error.message : String(error);
            await db().governanceAssignment.update({ where: { id: row.id }, data: { azureError: message.slice(0, 1000) } });
            event = { action: "error", entityType: "governance", entityId: row.id, findingId: row.findingId, message: `Could not remove the governance assignment of ${row.finding.resourceName}: ${message}`, isRetryable: true };
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
  await audit({ actor, action: "governance.remove", targetType: "servicenow_connection", targetId: connectionId, after: { runId: run.id, removed, failed }, requestId: meta.requestId });
  return { runId: run.id, removed, failed };
}
