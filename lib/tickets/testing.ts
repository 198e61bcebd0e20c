// Test and benchmark support for the ticket feature (never imported by product code): an Azure tenant
// and a ServiceNow connection registered against the emulators, and findings read from the ARM
// emulator through the real Azure client (assessments + metadata), stored as ingestion would store them.
// Stand-in until the Defender ingestion (lib/ingestion) can be called from tests.
import { createServer } from "node:net";
import { createAzureClient } from "@/lib/azure/client";
import { type AzureAssessment, type AzureRecommendation } from "@/lib/azure/schemas";
import { encryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { type EmulatorManifest } from "@/emulators/manifest";
import { createConnection } from "@/lib/connections/service";
import { SYSTEM_ACTOR } from "@/lib/audit/audit";
import { type TCreateConnectionInput, ZCreateConnection } from "@/lib/schemas/connections";

export type SeededWorld = {
  tenantId: string;
  /** Unhealthy findings, in a stable order (by ARM id). */
  unhealthy: Array<{ id: string; armId: string; resourceId: string; recommendationKey: string; resourceName: string }>;
  healthyId: string | null;
};

function resourceTypeOf(resourceId: string): string {
  const parts = resourceId.split("/").filter(Boolean);
  const i = parts.findIndex((p) => p.toLowerCase() === "providers");
  if (i < 0) return parts.length <= 2 ? "Microsoft.Resources/subscriptions" : "Microsoft.Resources/resourceGroups";
  const provider = parts[i + 1] ?? "";
  const types = parts.slice(i + 2).filter((_, k) => k % 2 === 0);
  return [provider, ...types].join("/");
}

/** Registers the ARM emulator's tenant and stores its findings (all subscriptions, or the first `subscriptions`). */
export async function seedFindingsFromEmulator(manifest: EmulatorManifest, options: { subscriptions?: number } = {}): Promise<SeededWorld> {
  const tenant = await db().azureTenant.create({
    data: {
      name: "Contoso (emulator)",
      tenantId: manifest.tenantId,
      clientId: manifest.entra.armServicePrincipal.clientId,
      clientSecretEnc: encryptSecret(manifest.entra.armServicePrincipal.clientSecret),
      authorityHost: manifest.entra.url,
      armEndpoint: manifest.arm.url,
      allowPrivateNetwork: true,
    },
  });
  const azure = createAzureClient({
    tenantId: manifest.tenantId,
    clientId: manifest.entra.armServicePrincipal.clientId,
    clientSecret: manifest.entra.armServicePrincipal.clientSecret,
    authorityHost: manifest.entra.url,
    armEndpoint: manifest.arm.url,
  });
  const subscriptionIds = manifest.arm.subscriptionIds.slice(0, options.subscriptions ?? manifest.arm.subscriptionIds.length);
  const recommendations = new Map<string, AzureRecommendation>();
  const assessments: AzureAssessment[] = [];
  for (const subscriptionId of subscriptionIds) {
    for await (const page of azure.recommendations(subscriptionId)) for (const r of page) recommendations.set(r.key, r);
    for await (const page of azure.assessments(subscriptionId)) assessments.push(...page);
  }
  await db().recommendation.createMany({
    data: [...recommendations.values()].map((r) => ({
      key: r.key,
      displayName: r.displayName,
      severity: r.severity,
      description: r.description ?? "",
      remediation: r.remediation ?? "",
      categories: r.categories,
      threats: r.threats,
      userImpact: r.userImpact,
      implementationEffort: r.implementationEffort,
      policyDefinitionId: r.policyDefinitionId,
      assessmentType: r.assessmentType,
      isPreview: r.isPreview,
    })),
    skipDuplicates: true,
  });
  const known = assessments.filter((a) => recommendations.has(a.key));
  await db().finding.createMany({
    data: known.map((a) => ({
      armId: a.id,
      azureTenantId: tenant.id,
      subscriptionId: a.subscriptionId,
      resourceGroup: a.resourceGroup,
      resourceId: a.resourceId,
      resourceType: resourceTypeOf(a.resourceId),
      resourceName: a.resourceId.split("/").filter(Boolean).at(-1) ?? a.resourceId,
      recommendationKey: a.key,
      severity: recommendations.get(a.key)!.severity,
      status: a.status,
      statusCause: a.cause,
      statusDescription: a.description,
      firstEvaluationAt: a.firstEvaluationDate ? new Date(a.firstEvaluationDate) : null,
      statusChangedAt: a.statusChangeDate ? new Date(a.statusChangeDate) : null,
      portalUrl: a.portalUrl,
    })),
    skipDuplicates: true,
  });
  const rows = await db().finding.findMany({
    where: { azureTenantId: tenant.id },
    select: { id: true, armId: true, resourceId: true, recommendationKey: true, resourceName: true, status: true },
    orderBy: { armId: "asc" },
  });
  return {
    tenantId: tenant.id,
    unhealthy: rows.filter((r) => r.status === "Unhealthy").map(({ status: _s, ...r }) => r),
    healthyId: rows.find((r) => r.status === "Healthy")?.id ?? null,
  };
}

/** A ServiceNow connection to the emulator, created through the product's own service. */
export async function emulatorConnection(manifest: EmulatorManifest, overrides: Partial<TCreateConnectionInput> = {}) {
  const sn = manifest.servicenow;
  const suffix = Math.random().toString(36).slice(2, 8);
  return createConnection(
    SYSTEM_ACTOR,
    ZCreateConnection.parse({
      name: `ServiceNow emulator ${suffix}`,
      // Test files share one emulator: a prefix of their own keeps their correlation ids apart.
      correlationPrefix: `pdtest-${suffix}`,
      instanceUrl: sn.url,
      allowPrivateNetwork: true,
      authType: "basic",
      username: sn.username,
      password: sn.password,
      ...overrides,
    }),
  );
}

/** A loopback port nothing listens on (bound, then released): "the instance is down". */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
