import "server-only";

// Azure tenant connections: admins create, change and archive them; analysts read, test and sync them.
// The client secret is encrypted at rest and write-only; both endpoints pass the SSRF guard at save
// time; deleting archives (findings and history stay viewable) and wipes the secret.
import { withAudit } from "@/lib/audit/audit";
import { assertRole, type Caller } from "@/lib/auth/authorize";
import { encryptSecret } from "@/lib/crypto/secrets";
import { db, type DbTransaction } from "@/lib/db";
import { readPage } from "@/lib/db/page";
import { type Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { refreshRecommendationSummaries } from "@/lib/recommendations/summary-sql";
import {
  type TAzureTenantDto,
  type TAzureTenantsQuery,
  type TCreateAzureTenant,
  type TUpdateAzureTenant,
} from "@/lib/schemas/azure-tenants";
import { type TPage } from "@/lib/schemas/common";
import { assertTenantEndpointsAllowed, forgetAzureClient } from "./client";
import { resolveCloudUpdate } from "./cloud-update";
import { TENANT_DTO_READ, toAuditView, toAzureTenantDto } from "./dto";

type Meta = { requestId?: string };
const TARGET = "azure_tenant";

export async function listAzureTenants(actor: Caller, query: TAzureTenantsQuery): Promise<TPage<TAzureTenantDto>> {
  assertRole(actor, "analyst", "Reading Azure tenant connections");
  const where: Prisma.AzureTenantWhereInput = query.includeArchived ? {} : { deletedAt: null };
  return readPage(
    query,
    (window) =>
      db().azureTenant.findMany({
        where,
        ...TENANT_DTO_READ,
        orderBy: [{ deletedAt: { sort: "desc", nulls: "first" } }, { name: "asc" }],
        ...window,
      }),
    () => db().azureTenant.count({ where }),
    (rows) => rows.map(toAzureTenantDto),
  );
}

export async function getAzureTenant(actor: Caller, id: string): Promise<TAzureTenantDto> {
  assertRole(actor, "analyst", "Reading Azure tenant connections");
  const row = await db().azureTenant.findUnique({ where: { id }, ...TENANT_DTO_READ });
  if (!row) throw new AppError("NOT_FOUND", { message: "No such Azure tenant connection" });
  return toAzureTenantDto(row);
}

async function assertUnique(input: { name?: string; tenantId?: string }, exceptId?: string): Promise<void> {
  const others = { deletedAt: null, ...(exceptId ? { id: { not: exceptId } } : {}) };
  if (input.name) {
    const clash = await db().azureTenant.findFirst({
      where: { ...others, name: { equals: input.name, mode: "insensitive" } },
      select: { id: true },
    });
    if (clash) throw new AppError("CONFLICT", { message: `An Azure tenant connection named "${input.name}" already exists` });
  }
  if (input.tenantId) {
    // Two connections to one directory would ingest the same findings and fight over them.
    const clash = await db().azureTenant.findFirst({ where: { ...others, tenantId: input.tenantId }, select: { name: true } });
    if (clash) throw new AppError("CONFLICT", { message: `Directory ${input.tenantId} is already connected as "${clash.name}"` });
  }
}

/** Marks which known subscriptions are ingested; unknown ids are refused (discover them with a test first). */
async function applyIncluded(tx: DbTransaction, tenantId: string, included: string[]): Promise<void> {
  const known = await tx.subscription.findMany({ where: { azureTenantId: tenantId }, select: { subscriptionId: true } });
  const knownIds = new Set(known.map((s) => s.subscriptionId));
  const unknown = included.filter((id) => !knownIds.has(id));
  if (unknown.length > 0) {
    throw new AppError("VALIDATION", {
      message: `Unknown subscriptions: ${unknown.slice(0, 5).join(", ")} (run "Test connection" to discover the subscriptions the service principal can see)`,
      details: {
        errors: [
          { path: "body.includedSubscriptionIds", message: `not among the discovered subscriptions: ${unknown.slice(0, 20).join(", ")}` },
        ],
      },
    });
  }
  await tx.subscription.updateMany({ where: { azureTenantId: tenantId, subscriptionId: { in: included } }, data: { included: true } });
  await tx.subscription.updateMany({ where: { azureTenantId: tenantId, subscriptionId: { notIn: included } }, data: { included: false } });
}

export async function createAzureTenant(actor: Caller, input: TCreateAzureTenant, meta: Meta = {}): Promise<TAzureTenantDto> {
  assertRole(actor, "admin", "Managing Azure tenant connections");
  await assertUnique({ name: input.name, tenantId: input.tenantId });
  await assertTenantEndpointsAllowed(input);
  const row = await withAudit(
    (tx) =>
      tx.azureTenant.create({
        data: {
          name: input.name,
          tenantId: input.tenantId,
          clientId: input.clientId,
          clientSecretEnc: encryptSecret(input.clientSecret),
          cloud: input.cloud,
          authorityHost: input.authorityHost,
          armEndpoint: input.armEndpoint,
          armAudience: input.armAudience,
          allowPrivateNetwork: input.allowPrivateNetwork,
          useResourceGraph: input.useResourceGraph,
          syncIntervalMinutes: input.syncIntervalMinutes,
        },
        ...TENANT_DTO_READ,
      }),
    (created) => ({
      actor,
      action: "connection.create",
      targetId: created.id,
      targetType: TARGET,
      after: toAuditView(created),
      requestId: meta.requestId,
    }),
  );
  return toAzureTenantDto(row);
}

export async function updateAzureTenant(actor: Caller, id: string, input: TUpdateAzureTenant, meta: Meta = {}): Promise<TAzureTenantDto> {
  assertRole(actor, "admin", "Managing Azure tenant connections");
  const current = await db().azureTenant.findUnique({ where: { id }, ...TENANT_DTO_READ });
  if (!current) throw new AppError("NOT_FOUND", { message: "No such Azure tenant connection" });
  if (current.deletedAt) throw new AppError("CONFLICT", { message: "This Azure tenant connection is archived and cannot be changed" });
  await assertUnique(
    {
      name: input.name !== undefined && input.name.toLowerCase() !== current.name.toLowerCase() ? input.name : undefined,
      tenantId: input.tenantId !== undefined && input.tenantId !== current.tenantId ? input.tenantId : undefined,
    },
    id,
  );
  const cloud = resolveCloudUpdate(current, input);
  if (
    input.authorityHost !== undefined ||
    input.armEndpoint !== undefined ||
    input.allowPrivateNetwork !== undefined ||
    input.cloud !== undefined
  ) {
    await assertTenantEndpointsAllowed({ ...cloud, allowPrivateNetwork: input.allowPrivateNetwork ?? current.allowPrivateNetwork });
  }
  const row = await withAudit(
    async (tx) => {
      if (input.includedSubscriptionIds !== undefined) await applyIncluded(tx, id, input.includedSubscriptionIds);
      const updated = await tx.azureTenant.update({
        where: { id },
        data: {
          name: input.name,
          tenantId: input.tenantId,
          clientId: input.clientId,
          clientSecretEnc: input.clientSecret !== undefined ? encryptSecret(input.clientSecret) : undefined,
          ...cloud,
          allowPrivateNetwork: input.allowPrivateNetwork,
          useResourceGraph: input.useResourceGraph,
          syncIntervalMinutes: input.syncIntervalMinutes,
          // A changed interval takes effect from the last sync, not at the old schedule.
          ...(input.syncIntervalMinutes !== undefined && current.lastSyncAt
            ? { nextSyncAt: new Date(current.lastSyncAt.getTime() + input.syncIntervalMinutes * 60_000) }
            : {}),
        },
        ...TENANT_DTO_READ,
      });
      return updated;
    },
    (updated) => ({
      actor,
      action: "connection.update",
      targetType: TARGET,
      targetId: id,
      before: toAuditView(current),
      after: { ...toAuditView(updated), ...(input.clientSecret !== undefined ? { secretsChanged: ["clientSecret"] } : {}) },
      requestId: meta.requestId,
    }),
  );
  forgetAzureClient(id);
  return toAzureTenantDto(row);
}

/** Archives a connection: it stops syncing, its secret is wiped, its findings and runs stay as history. */
export async function archiveAzureTenant(actor: Caller, id: string, meta: Meta = {}): Promise<TAzureTenantDto> {
  assertRole(actor, "admin", "Managing Azure tenant connections");
  const current = await db().azureTenant.findUnique({ where: { id }, ...TENANT_DTO_READ });
  if (!current) throw new AppError("NOT_FOUND", { message: "No such Azure tenant connection" });
  if (current.deletedAt) return toAzureTenantDto(current);
  const row = await withAudit(
    async (tx) => {
      const archived = await tx.azureTenant.update({
        where: { id },
        data: { deletedAt: new Date(), clientSecretEnc: "", nextSyncAt: null },
        ...TENANT_DTO_READ,
      });
      // A queued run would only fail on the wiped secret: cancel it now.
      await tx.syncRun.updateMany({
        where: { azureTenantId: id, status: "queued" },
        data: { status: "canceled", finishedAt: new Date(), error: "The Azure tenant connection was deleted" },
      });
      return archived;
    },
    (archived) => ({
      actor,
      action: "connection.archive",
      targetType: TARGET,
      targetId: id,
      before: toAuditView(current),
      after: toAuditView(archived),
      requestId: meta.requestId,
    }),
  );
  forgetAzureClient(id);
  // The lists count findings of active connections only.
  await refreshRecommendationSummaries();
  return toAzureTenantDto(row);
}
