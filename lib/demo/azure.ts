import "server-only";

// Demo part of the Defender side (npm start on the embedded default): registers the emulator's tenant as
// an Azure connection (allowPrivateNetwork, the ARM service principal of the manifest) and queues a
// first full ingestion as a job — the app's in-process worker runs it, the launcher does not wait.
// Idempotent across restarts: the connection is remembered in AppSetting, kept in step with the
// emulators' endpoints (their ports may change between restarts) and never re-created once an admin
// deleted it; a new ingestion is queued only while none has finished.
import { type EmulatorManifest } from "@/emulators/manifest";
import { SYSTEM_ACTOR } from "@/lib/audit/audit";
import { createAzureTenant, updateAzureTenant } from "@/lib/azure-tenants/service";
import { db } from "@/lib/db";
import { recoverStaleIngestRuns, requestIngestion } from "@/lib/ingestion/job";
import { ZCreateAzureTenant, type TUpdateAzureTenant } from "@/lib/schemas/azure-tenants";

const TENANT_KEY = "demo.azure.tenantId";
const TENANT_NAME = "Contoso (emulator)";

async function ensureTenant(manifest: EmulatorManifest): Promise<{ id: string; action: string } | null> {
  const desired = {
    tenantId: manifest.tenantId,
    clientId: manifest.entra.armServicePrincipal.clientId,
    authorityHost: new URL(manifest.entra.url).origin,
    armEndpoint: new URL(manifest.arm.url).origin,
  };
  const known = (await db().appSetting.findUnique({ where: { key: TENANT_KEY } }))?.value;
  if (typeof known === "string") {
    const existing = await db().azureTenant.findUnique({ where: { id: known } });
    // Deleted by someone on purpose: respect it.
    if (!existing || existing.deletedAt) return null;
    const changes: TUpdateAzureTenant = {};
    if (existing.authorityHost !== desired.authorityHost) changes.authorityHost = desired.authorityHost;
    if (existing.armEndpoint !== desired.armEndpoint) changes.armEndpoint = desired.armEndpoint;
    if (existing.tenantId !== desired.tenantId) changes.tenantId = desired.tenantId;
    if (existing.clientId !== desired.clientId) changes.clientId = desired.clientId;
    if (Object.keys(changes).length === 0) return { id: existing.id, action: "kept" };
    await updateAzureTenant(SYSTEM_ACTOR, existing.id, { ...changes, clientSecret: manifest.entra.armServicePrincipal.clientSecret });
    return { id: existing.id, action: `updated (${Object.keys(changes).join(", ")})` };
  }
  // Someone may have connected the emulator's directory by hand before: adopt that connection.
  const adopted = await db().azureTenant.findFirst({ where: { tenantId: desired.tenantId, deletedAt: null }, select: { id: true } });
  const id =
    adopted?.id ??
    (
      await createAzureTenant(
        SYSTEM_ACTOR,
        ZCreateAzureTenant.parse({
          name: TENANT_NAME,
          ...desired,
          clientSecret: manifest.entra.armServicePrincipal.clientSecret,
          allowPrivateNetwork: true,
        }),
      )
    ).id;
  await db().appSetting.upsert({ where: { key: TENANT_KEY }, create: { key: TENANT_KEY, value: id }, update: { value: id } });
  if (adopted) return (await ensureTenant(manifest)) ?? { id, action: "adopted" };
  return { id, action: "registered" };
}

export async function bootstrapAzureDemo(manifest: EmulatorManifest): Promise<string> {
  const tenant = await ensureTenant(manifest);
  if (!tenant) return "Azure demo connection was deleted; not re-created";
  await recoverStaleIngestRuns();
  const finished = await db().syncRun.count({
    where: { azureTenantId: tenant.id, kind: "defender_ingest", status: { in: ["succeeded", "partial"] } },
  });
  if (finished > 0) return `Azure tenant ${tenant.action}; findings already ingested`;
  const run = await requestIngestion(SYSTEM_ACTOR, tenant.id, { mode: "full", trigger: "startup" });
  return `Azure tenant ${tenant.action}; first Defender ingestion ${run.isNew ? "queued" : "already queued"} (run ${run.runId})`;
}
