// Bad data from the API: an HTTPS proxy in front of a private ARM emulator rewrites items of the first
// page of each assessment listing (unknown status code, missing status, odd casing, not an object).
// Unreadable items become "skipped" events and the run continues; odd casing is normalized, not skipped.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SYSTEM_ACTOR } from "@/lib/audit/audit";
import { archiveAzureTenant } from "@/lib/azure-tenants/service";
import { db } from "@/lib/db";
import { ingestDefender } from "./ingest";
import { type CorruptingProxy, startCorruptingProxy } from "./testing/corrupting-proxy";
import { emulatorAssessments, FAST_AZURE, newRun, registerEmulatorTenant, storedFindings } from "./testing/fixtures";
import { integrationSuite } from "@/test/integration";

const suite = integrationSuite({ emulators: { seed: 11, size: "small" } });
let proxy: CorruptingProxy;
const originals: Array<{ id: string; status: unknown }> = [];

type Item = Record<string, unknown> & { id: string; properties?: Record<string, unknown> };

beforeAll(async () => {
  proxy = await startCorruptingProxy(suite.emu.manifest.arm.url, (raw, i) => {
    const item = raw as Item;
    // SDK items arrive as ARM JSON on the wire: the status sits under properties.
    const props = (item.properties ?? item) as Record<string, unknown>;
    originals.push({ id: item.id, status: (props.status as { code?: string } | undefined)?.code });
    if (i === 0) (props.status as Record<string, unknown>).code = "Degraded";
    if (i === 1) delete props.status;
    if (i === 2) (props.status as Record<string, unknown>).code = "unhealthy";
    if (i === 3) item.id = item.id.toUpperCase();
    if (i === 4) return 42;
    return item;
  });
});

afterAll(async () => {
  await proxy?.stop();
});

describe("ingestDefender with bad data from the API", () => {
  test("unknown status codes, missing fields and non-objects are skipped with an event; odd casing is normalized; the run ends partial with the rest stored", async () => {
    const tenant = await registerEmulatorTenant(suite.emu.manifest, { armEndpoint: proxy.url });
    const runId = await newRun(tenant.id);
    const result = await ingestDefender(tenant.id, { mode: "full", runId, strategy: "arm", azure: FAST_AZURE });

    expect(result.status).toBe("partial");
    expect(result.problems.join(" ")).toMatch(/6 items from Defender were skipped/);
    const skipped = await db().syncEvent.findMany({
      where: { runId, action: "skipped", entityType: "assessment" },
      orderBy: { id: "asc" },
    });
    expect(skipped).toHaveLength(6); // 3 per subscription listing
    expect(skipped.map((e) => e.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/unknown status code "Degraded"/),
        expect.stringMatching(/has no status/),
        // The SDK deserializes a non-object item into an empty model: it arrives without an id.
        expect.stringMatching(/is not an object|has no id/),
      ]),
    );
    expect((skipped[0]!.after as { sample: string }).sample).toContain("Degraded");

    const expected = await emulatorAssessments(suite.emu.manifest.arm.url);
    const stored = await storedFindings(tenant.id);
    expect(stored.size).toBe(expected.length - 6);
    // Odd casing: stored under the lowercased id with the normalized status.
    const recased = originals[3]!;
    expect(stored.get(recased.id.toLowerCase())).toBe(recased.status);
    const lowercased = originals[2]!;
    expect(stored.get(lowercased.id.toLowerCase())).toBe("Unhealthy");
    // The rejected ones are not stored.
    expect(stored.has(originals[0]!.id.toLowerCase())).toBe(false);
    expect(stored.has(originals[1]!.id.toLowerCase())).toBe(false);
    const run = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.progressDone).toBe(expected.length);
    await archiveAzureTenant(SYSTEM_ACTOR, tenant.id);
  });

  test("the same rewrites in Resource Graph rows are skipped the same way (one listing, three items)", async () => {
    originals.length = 0;
    const tenant = await registerEmulatorTenant(suite.emu.manifest, { armEndpoint: proxy.url });
    const runId = await newRun(tenant.id);
    const result = await ingestDefender(tenant.id, { mode: "full", runId, strategy: "resource-graph", azure: FAST_AZURE });
    expect(result.strategy).toBe("resource-graph");
    expect(result.status).toBe("partial");
    const skipped = await db().syncEvent.findMany({ where: { runId, action: "skipped", entityType: "assessment" } });
    expect(skipped.map((e) => e.message).sort()).toEqual([
      expect.stringMatching(/has no status/),
      expect.stringMatching(/is not an object/),
      expect.stringMatching(/unknown status code "Degraded"/),
    ]);
    const expected = await emulatorAssessments(suite.emu.manifest.arm.url);
    const stored = await storedFindings(tenant.id);
    expect(stored.size).toBe(expected.length - 3);
    expect(stored.get(originals[2]!.id.toLowerCase())).toBe("Unhealthy");
    // Findings the previous (archived) connection had stored moved to this one; only those this run
    // skipped stay with it (as history).
    expect(await db().finding.count({ where: { azureTenantId: { not: tenant.id } } })).toBeLessThanOrEqual(3);
  });
});
