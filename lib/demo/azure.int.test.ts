// The Azure part of the demo bootstrap: registers the emulator's tenant once, queues one first ingestion
// (a pg-boss job, not run here), follows the emulators' endpoints when their ports change, and leaves a
// deleted connection deleted.
import { describe, expect, test } from "vitest";
import { SYSTEM_ACTOR } from "@/lib/audit/audit";
import { archiveAzureTenant } from "@/lib/azure-tenants/service";
import { db } from "@/lib/db";
import { runIngestJob } from "@/lib/ingestion/job";
import { bootstrapAzureDemo } from "./azure";
import { integrationSuite } from "@/test/integration";

const suite = integrationSuite({ emulators: "private", stopsBoss: true });

describe("bootstrapAzureDemo", () => {
  test("registers the emulator's tenant and queues one first ingestion; a restart keeps both", async () => {
    const first = await bootstrapAzureDemo(suite.emu.manifest);
    expect(first).toMatch(/Azure tenant registered; first Defender ingestion queued/);
    const tenants = await db().azureTenant.findMany();
    expect(tenants).toHaveLength(1);
    expect(tenants[0]).toMatchObject({
      name: "Contoso (emulator)",
      tenantId: suite.emu.manifest.tenantId,
      armEndpoint: suite.emu.manifest.arm.url,
      allowPrivateNetwork: true,
    });
    const runs = await db().syncRun.findMany({ where: { kind: "defender_ingest" } });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "queued", trigger: "startup" });
    expect(runs[0]!.jobId).not.toBeNull();

    const again = await bootstrapAzureDemo(suite.emu.manifest);
    expect(again).toMatch(/Azure tenant kept; first Defender ingestion already queued/);
    expect(await db().azureTenant.count()).toBe(1);
    expect(await db().syncRun.count({ where: { kind: "defender_ingest" } })).toBe(1);

    // The worker runs it; a later start sees it finished and queues nothing.
    await runIngestJob({ runId: runs[0]!.id, mode: "full" });
    expect(await bootstrapAzureDemo(suite.emu.manifest)).toMatch(/findings already ingested/);
    expect(await db().finding.count()).toBeGreaterThan(0);
  });

  test("emulators restarted on other ports: the connection's endpoints follow", async () => {
    const moved = {
      ...suite.emu.manifest,
      arm: { ...suite.emu.manifest.arm, url: "https://localhost:1" },
      entra: { ...suite.emu.manifest.entra, url: "https://localhost:2" },
    };
    expect(await bootstrapAzureDemo(moved)).toMatch(/updated \(authorityHost, armEndpoint\)/);
    const tenant = await db().azureTenant.findFirstOrThrow();
    expect(tenant).toMatchObject({ armEndpoint: "https://localhost:1", authorityHost: "https://localhost:2" });
    expect(await bootstrapAzureDemo(suite.emu.manifest)).toMatch(/updated/);
    expect(await db().azureTenant.count()).toBe(1);
  });

  test("a connection deleted by an admin is not re-created", async () => {
    const tenant = await db().azureTenant.findFirstOrThrow();
    await archiveAzureTenant(SYSTEM_ACTOR, tenant.id);
    expect(await bootstrapAzureDemo(suite.emu.manifest)).toMatch(/deleted; not re-created/);
    expect(await db().azureTenant.count({ where: { deletedAt: null } })).toBe(0);
  });
});
