import type { TAzureCloud } from "@/lib/azure/clouds";
import "server-only";
import { type AzureTenantRow } from "@/lib/db";
import { type AzureTenant, type Subscription, type SyncRun } from "@/lib/generated/prisma/client";
import { type TAzureTenantDto, type TSubscriptionDto, type TSyncRunSummary } from "@/lib/schemas/azure-tenants";

export type TenantRow = AzureTenantRow &
  Pick<AzureTenant, "clientSecretEnc"> & {
    subscriptions: Subscription[];
    _count?: { findings: number };
    syncRuns?: SyncRun[];
  };

/**
 * How the tenant service reads a row for toAzureTenantDto: the relations every DTO needs (the latest
 * ingestion run, the subscriptions, the finding count) and the secret the view reports as stored or
 * not (db() leaves it out otherwise; lib/db.ts omitSecrets).
 */
export const TENANT_DTO_READ = {
  include: {
    subscriptions: { orderBy: { displayName: "asc" } },
    _count: { select: { findings: { where: { removedAt: null } } } },
    syncRuns: { where: { kind: "defender_ingest" }, orderBy: { queuedAt: "desc" }, take: 1 },
  },
  omit: { clientSecretEnc: false },
} as const;

export function toSubscriptionDto(s: Subscription): TSubscriptionDto {
  return {
    subscriptionId: s.subscriptionId,
    displayName: s.displayName,
    state: s.state,
    isIncluded: s.included,
    lastIngestedAt: s.lastIngestedAt?.toISOString() ?? null,
  };
}

export function toRunSummary(r: SyncRun): TSyncRunSummary {
  return {
    id: r.id,
    status: r.status,
    trigger: r.trigger,
    phase: r.phase,
    progressDone: r.progressDone,
    progressTotal: r.progressTotal,
    queuedAt: r.queuedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    error: r.error,
  };
}

/** The connection's settings, as the API view and the audit log show them. */
function settingsOf(t: AzureTenantRow) {
  return {
    cloud: t.cloud as TAzureCloud,
    armAudience: t.armAudience,
    authorityHost: t.authorityHost,
    armEndpoint: t.armEndpoint,
    allowPrivateNetwork: t.allowPrivateNetwork,
    useResourceGraph: t.useResourceGraph,
    syncIntervalMinutes: t.syncIntervalMinutes,
  };
}

/** The API view of a tenant connection: no secret, only whether one is stored. */
export function toAzureTenantDto(t: TenantRow): TAzureTenantDto {
  const lastRun = t.syncRuns?.[0];
  return {
    id: t.id,
    name: t.name,
    tenantId: t.tenantId,
    clientId: t.clientId,
    hasClientSecret: t.clientSecretEnc.length > 0,
    ...settingsOf(t),
    subscriptions: t.subscriptions.map(toSubscriptionDto),
    findingCount: t._count?.findings ?? 0,
    lastSyncAt: t.lastSyncAt?.toISOString() ?? null,
    lastFullSyncAt: t.lastFullSyncAt?.toISOString() ?? null,
    nextSyncAt: t.nextSyncAt?.toISOString() ?? null,
    lastRun: lastRun ? toRunSummary(lastRun) : null,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    archivedAt: t.deletedAt?.toISOString() ?? null,
  };
}

/** What the audit log keeps of a connection (no secret, no volatile sync fields). */
export function toAuditView(t: AzureTenantRow & { subscriptions?: Subscription[] }): Record<string, unknown> {
  return {
    name: t.name,
    tenantId: t.tenantId,
    clientId: t.clientId,
    ...settingsOf(t),
    ...(t.subscriptions ? { includedSubscriptionIds: t.subscriptions.filter((s) => s.included).map((s) => s.subscriptionId) } : {}),
    archivedAt: t.deletedAt?.toISOString() ?? null,
  };
}
