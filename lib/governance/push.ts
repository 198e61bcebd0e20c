import "server-only";

// Sends desired governance assignments (GovernanceAssignment rows, azureState pending or error) to
// Defender for Cloud: PUT …/assessments/{key}/governanceAssignments/{assignmentKey}. Each row ends
// synced, or error with Azure's message; a row changed meanwhile (a newer desired state) is left
// pending for the next push rather than marked with a stale outcome.
import { db } from "@/lib/db";
import { WITH_TENANT_SECRET, type TenantCredentials } from "@/lib/azure-tenants/client";
import { isAppError } from "@/lib/http/errors";
import { logger } from "@/lib/log";
import { governanceClientFor } from "./azure";

export type PushResult = { synced: number; failed: number };

const CONCURRENCY = 4;
const DEFAULT_DUE_DAYS = 30;

type Row = Awaited<ReturnType<typeof load>>[number];

function load(ids: string[]) {
  return db().governanceAssignment.findMany({
    where: { id: { in: ids }, isManaged: true },
    include: {
      finding: {
        select: {
          resourceId: true,
          recommendationKey: true,
          azureTenant: { omit: WITH_TENANT_SECRET },
          // The ITSM connection whose ticket the assignment follows decides Defender's e-mails.
          links: {
            where: { activeConnectionId: { not: null }, module: "itsm" },
            take: 1,
            select: { connection: { select: { governanceOwnerEmails: true, governanceManagerEmails: true } } },
          },
        },
      },
    },
  });
}

function messageOf(error: unknown): string {
  const text = isAppError(error) ? error.userMessage : error instanceof Error ? error.message : String(error);
  return text.slice(0, 1000);
}

/**
 * `governanceEmailNotification` of an assignment: the connection's choice, sent on every write so the
 * assignment never falls back to Defender's default (both e-mails on) by omission. Without a connection
 * (the ticket was unlinked) Defender's own default applies.
 */
export function emailNotificationOf(row: {
  finding: { links: Array<{ connection: { governanceOwnerEmails: boolean; governanceManagerEmails: boolean } }> };
}) {
  const c = row.finding.links[0]?.connection ?? { governanceOwnerEmails: true, governanceManagerEmails: true };
  return { disableOwnerEmailNotification: !c.governanceOwnerEmails, disableManagerEmailNotification: !c.governanceManagerEmails };
}

async function pushOne(client: Awaited<ReturnType<typeof governanceClientFor>>, row: Row): Promise<boolean> {
  const due = row.remediationDueDate ?? new Date(Date.now() + DEFAULT_DUE_DAYS * 86_400_000);
  try {
    await client.governance.putAssignment(
      { resourceId: row.finding.resourceId, assessmentName: row.finding.recommendationKey, assignmentKey: row.assignmentKey },
      {
        ...(row.owner ? { owner: row.owner } : {}),
        remediationDueDate: due.toISOString(),
        isGracePeriod: row.isGracePeriod,
        governanceEmailNotification: emailNotificationOf(row),
        ...(row.ticketNumber !== null || row.ticketLink || row.ticketStatus
          ? {
              additionalData: {
                ...(row.ticketNumber !== null ? { ticketNumber: row.ticketNumber } : {}),
                ...(row.ticketLink ? { ticketLink: row.ticketLink } : {}),
                ...(row.ticketStatus ? { ticketStatus: row.ticketStatus } : {}),
              },
            }
          : {}),
      },
    );
    await db().governanceAssignment.updateMany({
      where: { id: row.id, updatedAt: row.updatedAt },
      data: { azureState: "synced", azureSyncedAt: new Date(), azureError: null },
    });
    return true;
  } catch (error) {
    await markFailed([row], error);
    return false;
  }
}

async function markFailed(rows: Row[], error: unknown): Promise<void> {
  const message = messageOf(error);
  for (const row of rows) {
    await db().governanceAssignment.updateMany({
      where: { id: row.id, updatedAt: row.updatedAt },
      data: { azureState: "error", azureError: message },
    });
  }
}

/** Pushes the given assignments; never throws for Azure failures (they are recorded on the rows). */
export async function pushGovernance(ids: string[]): Promise<PushResult> {
  if (ids.length === 0) return { synced: 0, failed: 0 };
  const rows = await load(ids);
  const byTenant = new Map<string, { tenant: TenantCredentials; rows: Row[] }>();
  for (const row of rows) {
    const tenant = row.finding.azureTenant;
    const group = byTenant.get(tenant.id) ?? { tenant, rows: [] };
    group.rows.push(row);
    byTenant.set(tenant.id, group);
  }
  const result: PushResult = { synced: 0, failed: 0 };
  for (const { tenant, rows: tenantRows } of byTenant.values()) {
    let client;
    try {
      client = await governanceClientFor(tenant);
    } catch (error) {
      await markFailed(tenantRows, error);
      result.failed += tenantRows.length;
      continue;
    }
    const queue = [...tenantRows];
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
        for (let row = queue.shift(); row; row = queue.shift()) {
          if (await pushOne(client, row)) result.synced++;
          else result.failed++;
        }
      }),
    );
  }
  if (result.failed > 0)
    logger().warn({ ...result }, "governance write-back: some assignments failed; they stay in error for the next sync");
  return result;
}
