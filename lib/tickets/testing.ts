// Test and benchmark support for the ticket feature (never imported by product code): findings
// ingested from the ARM emulator by the product's own Defender ingestion, and a ServiceNow connection
// to the emulator registered through the product's own service.
import { createServer } from "node:net";
import { type EmulatorManifest } from "@/emulators/manifest";
import { SYSTEM_ACTOR } from "@/lib/audit/audit";
import { createConnection } from "@/lib/connections/service";
import { db } from "@/lib/db";
import { ingestDefender } from "@/lib/ingestion/ingest";
import { FAST_AZURE, newRun, registerEmulatorTenant } from "@/lib/ingestion/testing/fixtures";
import { type TCreateConnectionInput, ZCreateConnection } from "@/lib/schemas/connections";
import { correlationBase } from "@/lib/tickets/correlation";

export type SeededWorld = {
  tenantId: string;
  /** Unhealthy findings, in a stable order (by ARM id). */
  unhealthy: Array<{ id: string; armId: string; resourceId: string; recommendationKey: string; resourceName: string }>;
  healthyId: string | null;
};

/**
 * Registers the ARM emulator's tenant and runs a full Defender ingestion of it — of every subscription,
 * or of the first `subscriptions` (the others are known but not included, as an admin would narrow it).
 */
export async function seedFindingsFromEmulator(manifest: EmulatorManifest, options: { subscriptions?: number } = {}): Promise<SeededWorld> {
  const tenant = await registerEmulatorTenant(manifest);
  if (options.subscriptions !== undefined) {
    await db().subscription.createMany({
      data: manifest.arm.subscriptionIds.map((id, i) => ({
        azureTenantId: tenant.id,
        subscriptionId: id.toLowerCase(),
        displayName: id,
        included: i < options.subscriptions!,
      })),
    });
  }
  const result = await ingestDefender(tenant.id, { mode: "full", runId: await newRun(tenant.id), azure: FAST_AZURE });
  if (result.status !== "succeeded") throw new Error(`The test ingestion ended ${result.status}: ${result.problems.join("; ")}`);
  const rows = await db().finding.findMany({
    where: { azureTenantId: tenant.id, removedAt: null },
    select: { id: true, armId: true, resourceId: true, recommendationKey: true, resourceName: true, status: true },
    orderBy: { armId: "asc" },
  });
  return {
    tenantId: tenant.id,
    unhealthy: rows.filter((r) => r.status === "Unhealthy").map(({ status: _s, ...r }) => r),
    healthyId: rows.find((r) => r.status === "Healthy")?.id ?? null,
  };
}

/** The fields of a connection that reaches the ServiceNow emulator with basic auth (no name). */
export function emulatorConnectionFields(manifest: EmulatorManifest) {
  const sn = manifest.servicenow;
  return { instanceUrl: sn.url, allowPrivateNetwork: true, authType: "basic" as const, username: sn.username, password: sn.password };
}

/** A ServiceNow connection to the emulator, created through the product's own service. */
export async function emulatorConnection(manifest: EmulatorManifest, overrides: Partial<TCreateConnectionInput> = {}) {
  const suffix = Math.random().toString(36).slice(2, 8);
  return createConnection(
    SYSTEM_ACTOR,
    ZCreateConnection.parse({
      name: `ServiceNow emulator ${suffix}`,
      // Test files share one emulator: a prefix of their own keeps their correlation ids apart.
      correlationPrefix: `pdtest-${suffix}`,
      ...emulatorConnectionFields(manifest),
      ...overrides,
    }),
  );
}

/** A POST /api/tickets body: tickets of a type for these findings on the connection, grouped as asked. */
export function ticketBody(connectionId: string, type: string, findings: ReadonlyArray<{ id: string }>, grouping: string) {
  return { connectionId, type, findingIds: findings.map((f) => f.id), grouping };
}

/** The correlation id of the first incident (generation 1) for these findings on the connection. */
export function firstIncidentCorrelation(connection: { correlationPrefix: string }, findings: ReadonlyArray<{ armId: string }>): string {
  return `${correlationBase(
    connection.correlationPrefix,
    "incident",
    findings.map((f) => f.armId),
  )}:g1`;
}

/** A loopback port nothing listens on (bound, then released): "the instance is down". */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
