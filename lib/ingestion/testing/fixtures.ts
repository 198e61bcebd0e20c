// Test and benchmark support for ingestion (never imported by product code): the emulator's tenant
// registered through the product's own service, runs to ingest into, and the emulator's own view of
// its assessments to compare with.
import { type EmulatorManifest } from "@/emulators/manifest";
import { SYSTEM_ACTOR } from "@/lib/audit/audit";
import { type AzureClient, type AzureClientConfig, createAzureClient } from "@/lib/azure/client";
import { createAzureTenant } from "@/lib/azure-tenants/service";
import { db } from "@/lib/db";
import { ZCreateAzureTenant, type TCreateAzureTenantInput } from "@/lib/schemas/azure-tenants";

/** Client settings that keep retries quick (the emulator answers at once; waiting proves nothing). */
export const FAST_AZURE = {
  retry: { maxRetries: 3, retryDelayInMs: 50, maxRetryDelayInMs: 200 },
  throttle: { maxRetries: 4, baseDelayMs: 50, maxDelayMs: 200 },
} as const;

/** The fields of an Azure tenant connection to the emulator's tenant, as its ARM service principal (all but the name). */
export function emulatorTenantFields(manifest: EmulatorManifest) {
  return {
    tenantId: manifest.tenantId,
    clientId: manifest.entra.armServicePrincipal.clientId,
    clientSecret: manifest.entra.armServicePrincipal.clientSecret,
    authorityHost: manifest.entra.url,
    armEndpoint: manifest.arm.url,
    allowPrivateNetwork: true,
  };
}

export async function registerEmulatorTenant(manifest: EmulatorManifest, overrides: Partial<TCreateAzureTenantInput> = {}) {
  return createAzureTenant(
    SYSTEM_ACTOR,
    ZCreateAzureTenant.parse({
      name: `Contoso emulator ${Math.random().toString(36).slice(2, 8)}`,
      ...emulatorTenantFields(manifest),
      ...overrides,
    }),
  );
}

/** An Azure client of the emulator's tenant, signed in as its ARM service principal (`overrides` for other credentials or settings). */
export function emulatorAzureClient(manifest: EmulatorManifest, overrides: Partial<AzureClientConfig> = {}): AzureClient {
  return createAzureClient({
    tenantId: manifest.tenantId,
    ...manifest.entra.armServicePrincipal,
    authorityHost: manifest.entra.url,
    armEndpoint: manifest.arm.url,
    ...overrides,
  });
}

/** A queued defender_ingest run for the tenant (what requestIngestion creates, without the queue). */
export async function newRun(azureTenantId: string): Promise<string> {
  const run = await db().syncRun.create({ data: { kind: "defender_ingest", trigger: "manual", status: "queued", azureTenantId } });
  return run.id;
}

export type EmulatorAssessment = {
  id: string;
  key: string;
  resourceId: string;
  subscriptionId: string;
  status: "Healthy" | "Unhealthy" | "NotApplicable";
};

/** The ARM emulator's assessments, as its control API reports them. */
export async function emulatorAssessments(armUrl: string, query: Record<string, string> = {}): Promise<EmulatorAssessment[]> {
  const params = new URLSearchParams({ limit: "200000", ...query });
  const response = await fetch(`${armUrl}/_emulator/assessments?${params}`);
  const body = (await response.json()) as { value: EmulatorAssessment[] };
  return body.value;
}

/** Stored findings that are not removed, as `armId → status`. */
export async function storedFindings(azureTenantId: string): Promise<Map<string, string>> {
  const rows = await db().finding.findMany({ where: { azureTenantId, removedAt: null }, select: { armId: true, status: true } });
  return new Map(rows.map((r) => [r.armId, r.status]));
}

export function asMap(assessments: EmulatorAssessment[]): Map<string, string> {
  return new Map(assessments.map((a) => [a.id.toLowerCase(), a.status]));
}
