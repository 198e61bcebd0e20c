// One Azure tenant's failed ingestion belongs to that tenant's run and status, not to the ServiceNow
// connection's sync: the connection's run stays "succeeded" (it counts the tenant as failed), the
// tenant gets a defender_ingest run of its own that failed with one plain message.
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { registerEmulatorTenant } from "@/lib/ingestion/testing/fixtures";
import { closedPort } from "@/lib/tickets/testing";
import { eventsOf, syncNow } from "./testing";
import { syncWorldSuite } from "@/test/integration";

const suite = syncWorldSuite({ emulators: "shared", timeoutMs: 120_000 });

describe("a connection sync with a broken Azure tenant", () => {
  test("the connection's run succeeds; the tenant's own run failed, its message names the endpoint once", async () => {
    const dead = `https://127.0.0.1:${await closedPort()}`;
    const broken = await registerEmulatorTenant(suite.emu.manifest, {
      name: "Fabrikam (unreachable)",
      tenantId: "0f3c5a9e-1b2d-4c6e-8f70-123456789abc",
      authorityHost: dead,
      armEndpoint: dead,
    });

    const run = await syncNow(suite.world.connection.id);
    expect(run.status).toBe("succeeded");
    expect(run.error).toBeNull();
    expect((run.counts as { tenants?: Record<string, number> }).tenants).toMatchObject({ failed: 1, succeeded: 1 });
    expect((await eventsOf(run.id)).filter((e) => e.action === "error")).toEqual([]);

    const tenantRun = await db().syncRun.findFirstOrThrow({
      where: { azureTenantId: broken.id, kind: "defender_ingest" },
      include: { events: true },
    });
    expect(tenantRun.status).toBe("failed");
    expect(tenantRun.error).toBeTruthy();
    expect(tenantRun.events.filter((e) => e.action === "error")).toHaveLength(1);
    // "Check https://x and https://x" would name the same endpoint twice.
    expect(tenantRun.error!.split(dead).length - 1).toBeLessThanOrEqual(1);

    // The healthy tenant's pass is its own run too, succeeded.
    const okRun = await db().syncRun.findFirstOrThrow({
      where: { azureTenantId: suite.world.tenantId, kind: "defender_ingest" },
      orderBy: { queuedAt: "desc" },
    });
    expect(okRun.status).toBe("succeeded");
    expect(okRun.counts).toMatchObject({ connectionRunId: run.id });
  }, 120_000);
});
