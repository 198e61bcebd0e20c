// Resource tags in Defender ingestion: after the findings are written, Finding.tags holds their resources'
// tags from Resource Graph's `resources` table — every resource on a full pass; on an incremental pass only
// resources seen for the first time (asked by id) and new findings on known resources (copied in SQL).
// Real MSAL token, real pipeline, a private ARM emulator whose tags are changed through its control API,
// this file's own PostgreSQL suite.database. Bad paths: odd rows, Resource Graph refused, Resource Graph off.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { findingDetails } from "@/lib/findings/list";
import { ingestDefender } from "./ingest";
import { runIngestJob } from "./job";
import { type CorruptingProxy, startCorruptingProxy } from "./testing/corrupting-proxy";
import { emulatorAssessments, FAST_AZURE, newRun, registerEmulatorTenant } from "./testing/fixtures";
import { integrationSuite } from "@/test/integration";

type EmulatorResource = { id: string; subscriptionId: string; tags: Record<string, string> };

const suite = integrationSuite({ emulators: "private" });
let tenantId: string;

beforeAll(async () => {
  tenantId = (await registerEmulatorTenant(suite.emu.manifest)).id;
});
afterEach(async () => {
  await suite.emu.control("arm", "DELETE", "/_emulator/faults");
});
async function emulatorResources(): Promise<EmulatorResource[]> {
  return (await suite.emu.control<{ value: EmulatorResource[] }>("arm", "GET", "/_emulator/resources")).body.value;
}

/** What every current finding of the tenant should carry: its resource's tags ({} for subscription-level findings). */
async function expectedTags(): Promise<Map<string, Record<string, string>>> {
  const byResource = new Map((await emulatorResources()).map((r) => [r.id.toLowerCase(), r.tags]));
  return new Map(
    (await emulatorAssessments(suite.emu.manifest.arm.url)).map((a) => [
      a.id.toLowerCase(),
      byResource.get(a.resourceId.toLowerCase()) ?? {},
    ]),
  );
}

async function storedTags(azureTenantId = tenantId): Promise<Map<string, unknown>> {
  const rows = await db().finding.findMany({ where: { azureTenantId, removedAt: null }, select: { armId: true, tags: true } });
  return new Map(rows.map((r) => [r.armId, r.tags]));
}

async function tagCounts(runId: string): Promise<Record<string, unknown>> {
  const run = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
  const defender = (run.counts as { defender: Record<string, unknown> }).defender;
  expect(typeof (defender.timings as Record<string, unknown>).tags).toBe("number");
  return defender.tags as Record<string, unknown>;
}

const findingsOn = async (resourceId: string) =>
  await db().$queryRaw<
    Array<{ armId: string; tags: Record<string, string> }>
  >`SELECT "armId", "tags" FROM "Finding" WHERE lower("resourceId") = lower(${resourceId}) AND "removedAt" IS NULL`;

describe("ingestDefender → Finding.tags", () => {
  test("a first full ingestion gives every finding its resource's tags (subscription-level findings none), shown in the findings DTO", async () => {
    const runId = await newRun(tenantId);
    await runIngestJob({ runId, mode: "full" });
    const run = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status, run.error ?? "").toBe("succeeded");

    const expected = await expectedTags();
    expect(expected.size).toBe(300);
    expect(await storedTags()).toEqual(expected);
    const tagged = [...expected.values()].filter((t) => Object.keys(t).length > 0);
    expect(tagged.length).toBeGreaterThan(250);
    expect(tagged.filter((t) => t.owner).length).toBeGreaterThan(200);
    // Listed before the findings were written: every one took its tags when inserted, none was rewritten.
    expect(await tagCounts(runId)).toEqual({ source: "resource-graph", resources: (await emulatorResources()).length, findingsUpdated: 0 });

    // Analysts see them: the findings DTO carries the same tags.
    const some = await db().finding.findMany({
      where: { azureTenantId: tenantId },
      select: { id: true, armId: true },
      take: 20,
      orderBy: { armId: "asc" },
    });
    const dtos = await findingDetails(some.map((f) => f.id));
    expect(dtos.map((d) => d.tags)).toEqual(some.map((f) => expected.get(f.armId)));
  });

  test("a second full pass reads the tags again and writes nothing when none changed", async () => {
    const runId = await newRun(tenantId);
    const result = await ingestDefender(tenantId, { mode: "full", runId });
    expect(result.status).toBe("succeeded");
    expect(await tagCounts(runId)).toMatchObject({ resources: (await emulatorResources()).length, findingsUpdated: 0 });
    expect(await storedTags()).toEqual(await expectedTags());
  });

  test("incremental: a resource seen for the first time is asked by id, a new finding on a known resource copies its tags, a changed tag waits for the next full pass", async () => {
    const resources = await emulatorResources();
    const assessments = await emulatorAssessments(suite.emu.manifest.arm.url);
    const assessed = new Set(assessments.map((a) => a.resourceId.toLowerCase()));
    const fresh = resources.find((r) => !assessed.has(r.id.toLowerCase()))!;
    expect(fresh).toBeDefined();
    const known = assessments[10]!;
    const keyNotOnKnown = assessments.find((a) => !assessments.some((b) => b.resourceId === known.resourceId && b.key === a.key))!.key;
    const changed = assessments.find((a) => a.resourceId !== known.resourceId && resources.some((r) => r.id === a.resourceId))!.resourceId;
    const changedBefore = (await findingsOn(changed)).map((f) => f.tags);

    await suite.emu.control("arm", "PATCH", "/_emulator/resources/tags", {
      ids: [fresh.id],
      tags: { env: "prod", owner: "new.owner@contoso.example" },
    });
    await suite.emu.control("arm", "PATCH", "/_emulator/resources/tags", { ids: [changed], tags: { team: "renamed" }, merge: true });
    await suite.emu.control("arm", "POST", "/_emulator/assessments", {
      assessments: [
        { resourceId: fresh.id, key: assessments[0]!.key, status: "Unhealthy" },
        { resourceId: known.resourceId, key: keyNotOnKnown, status: "Unhealthy" },
      ],
    });

    const incremental = await newRun(tenantId);
    const result = await ingestDefender(tenantId, { mode: "incremental", runId: incremental });
    expect(result.status, result.problems.join("; ")).toBe("succeeded");
    expect(result.counts).toMatchObject({ findings: { new: 2 } });
    expect(await tagCounts(incremental)).toMatchObject({ findingsCopied: 1, resourcesAsked: 1, resources: 1, findingsUpdated: 1 });
    expect((await findingsOn(fresh.id)).map((f) => f.tags)).toEqual([{ env: "prod", owner: "new.owner@contoso.example" }]);
    const knownTags = resources.find((r) => r.id === known.resourceId)!.tags;
    expect((await findingsOn(known.resourceId)).map((f) => f.tags)).toEqual((await findingsOn(known.resourceId)).map(() => knownTags));
    // Tags change rarely: an incremental pass does not list every resource again.
    expect((await findingsOn(changed)).map((f) => f.tags)).toEqual(changedBefore);

    const full = await newRun(tenantId);
    await runIngestJob({ runId: full, mode: "full" });
    expect((await findingsOn(changed)).every((f) => f.tags.team === "renamed")).toBe(true);
    expect(await tagCounts(full)).toMatchObject({ findingsUpdated: changedBefore.length });
    expect(await storedTags()).toEqual(await expectedTags());
  });

  test("an incremental pass with nothing new asks Resource Graph nothing", async () => {
    await suite.emu.control("arm", "POST", "/_emulator/counters/reset");
    const runId = await newRun(tenantId);
    expect((await ingestDefender(tenantId, { mode: "incremental", runId, strategy: "arm" })).status).toBe("succeeded");
    const counters = await suite.emu.control<{ value: Array<{ route: string; count: number }> }>(
      "arm",
      "GET",
      "/_emulator/counters?emulator=arm",
    );
    expect(counters.body.value.filter((c) => /resourcegraph/i.test(c.route))).toEqual([]);
    expect(await tagCounts(runId)).toEqual({ source: "resource-graph", findingsCopied: 0 });
  });
});

describe("ingestDefender → Finding.tags, bad paths", () => {
  let proxy: CorruptingProxy;
  /** Four resources with findings, whose rows the proxy spoils (0: tags an array, 1: not an object, 2: no id, 3: tags null). */
  let targets: string[] = [];

  beforeAll(async () => {
    // Rows of the tags listing's first page come back odd for the targets.
    proxy = await startCorruptingProxy(
      suite.emu.manifest.arm.url,
      (row) => {
        const i = targets.indexOf(String(row.id));
        if (i === 0) return { ...row, tags: ["env", "prod"] };
        if (i === 1) return 42;
        if (i === 2) return { tags: row.tags };
        if (i === 3) return { ...row, tags: null };
        return row;
      },
      { target: "resources" },
    );
  });
  afterAll(() => proxy?.stop());

  test("odd rows are skipped with events and the run ends partial; the other rows are written (null tags = none)", async () => {
    // New tags everywhere, so written rows and skipped rows can be told apart.
    const resources = await emulatorResources();
    await suite.emu.control("arm", "PATCH", "/_emulator/resources/tags", {
      ids: resources.map((r) => r.id),
      tags: { wave: "2" },
      merge: true,
    });
    const assessed = new Set((await emulatorAssessments(suite.emu.manifest.arm.url)).map((a) => a.resourceId));
    targets = resources
      .map((r) => r.id)
      .filter((id) => assessed.has(id))
      .sort()
      .slice(0, 4);
    await db().azureTenant.update({ where: { id: tenantId }, data: { armEndpoint: proxy.url } });

    const runId = await newRun(tenantId);
    const result = await ingestDefender(tenantId, { mode: "full", runId, strategy: "arm", azure: FAST_AZURE });
    expect(result.status).toBe("partial");
    expect(result.problems).toContain("3 resource rows from Resource Graph were skipped as unreadable");
    const skipped = await db().syncEvent.findMany({ where: { runId, action: "skipped", entityType: "resource" }, orderBy: { id: "asc" } });
    expect(skipped.map((e) => e.message)).toEqual([
      "Skipped a resource row Resource Graph returned: the row is not an object",
      expect.stringMatching(/^Skipped a resource row Resource Graph returned: tags: /),
      expect.stringMatching(/^Skipped a resource row Resource Graph returned: id: /),
    ]);
    expect(skipped[1]!.entityId).toBe(targets[0]);
    expect(await tagCounts(runId)).toMatchObject({ skipped: 3, resources: resources.length - 3 });

    const tagsOf = async (id: string) => (await findingsOn(id)).map((f) => f.tags);
    // Skipped: kept as they were (no wave); null tags: none; every other resource: its new tags.
    for (const id of targets.slice(0, 3)) {
      const tags = await tagsOf(id);
      expect(tags.length).toBeGreaterThan(0);
      expect(tags.every((t) => !("wave" in t) && Object.keys(t).length > 0)).toBe(true);
    }
    expect(await tagsOf(targets[3]!)).toEqual((await tagsOf(targets[3]!)).map(() => ({})));
    expect((await tagsOf(targets[3]!)).length).toBeGreaterThan(0);
    for (const id of [...assessed].filter((id) => !targets.includes(id) && id.includes("/providers/")))
      expect((await tagsOf(id)).every((t) => t.wave === "2")).toBe(true);
  });

  test("Resource Graph refused (403) for the tags: an error event, the run ends partial, tags are kept", async () => {
    await db().azureTenant.update({ where: { id: tenantId }, data: { armEndpoint: suite.emu.manifest.arm.url } });
    const before = await storedTags();
    await suite.emu.control("arm", "PATCH", "/_emulator/resources/tags", {
      ids: [(await emulatorResources())[5]!.id],
      tags: { env: "refused" },
    });
    await suite.emu.control("arm", "POST", "/_emulator/faults", {
      path: "/providers/Microsoft.ResourceGraph/resources",
      kind: "status",
      status: 403,
    });

    const runId = await newRun(tenantId);
    const result = await ingestDefender(tenantId, { mode: "full", runId, strategy: "arm", azure: FAST_AZURE });
    expect(result.status).toBe("partial");
    expect(result.problems).toContain("resource tags could not be read from Resource Graph");
    const error = await db().syncEvent.findFirstOrThrow({ where: { runId, action: "error", entityId: "Resource Graph resources (tags)" } });
    expect(error.message).toMatch(/HTTP 403.*kept as they were/);
    expect(await storedTags()).toEqual(before);
  });

  test("with Resource Graph turned off for the connection, no tag is read and none is lost", async () => {
    await db().azureTenant.update({ where: { id: tenantId }, data: { useResourceGraph: false } });
    const before = await storedTags();
    await suite.emu.control("arm", "POST", "/_emulator/counters/reset");
    const runId = await newRun(tenantId);
    const result = await ingestDefender(tenantId, { mode: "full", runId, azure: FAST_AZURE });
    expect(result.status, result.problems.join("; ")).toBe("succeeded");
    expect(await tagCounts(runId)).toEqual({ source: "off" });
    const counters = await suite.emu.control<{ value: Array<{ route: string; count: number }> }>(
      "arm",
      "GET",
      "/_emulator/counters?emulator=arm",
    );
    expect(counters.body.value.filter((c) => /resourcegraph/i.test(c.route))).toEqual([]);
    expect(await storedTags()).toEqual(before);
  });
});
