// Ingestion under injected faults (private emulators: faults, page size and state are changed here):
// 429 without Retry-After, 503, dropped connections and a page that keeps failing mid-listing still end
// with exactly the emulator's data; a subscription that cannot be listed at all ends the run "partial"
// and keeps its findings as they were.
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { ingestDefender } from "./ingest";
import { asMap, emulatorAssessments, FAST_AZURE, newRun, registerEmulatorTenant, storedFindings } from "./testing/fixtures";
import { integrationSuite } from "@/test/integration";

const suite = integrationSuite({ emulators: { seed: 7, size: "small" } });
let tenantId: string;

const ASSESSMENTS = "/subscriptions/*/providers/Microsoft.Security/assessments";

async function counter(route: string, status: number): Promise<number> {
  const r = await suite.emu.control<{ value: Array<{ route: string; status: number; count: number }> }>(
    "arm",
    "GET",
    "/_emulator/counters?emulator=arm",
  );
  return r.body.value
    .filter((c) => c.route.toLowerCase().includes(route.toLowerCase()) && c.status === status)
    .reduce((n, c) => n + c.count, 0);
}

async function fault(rule: Record<string, unknown>): Promise<void> {
  const r = await suite.emu.control("arm", "POST", "/_emulator/faults", rule);
  expect(r.status).toBe(201);
}

beforeAll(async () => {
  // 20 per page: every subscription's listing has several pages for the page faults to hit.
  await suite.emu.control("arm", "PATCH", "/_emulator/arm/config", { pageSize: 20 });
  tenantId = (await registerEmulatorTenant(suite.emu.manifest)).id;
});

afterEach(async () => {
  await suite.emu.control("arm", "DELETE", "/_emulator/faults");
});

describe("ingestDefender under faults", () => {
  test("ARM listing: 429 without Retry-After, a 503 page and a page failing past the SDK's retries still end with exactly the emulator's data", async () => {
    await suite.emu.control("arm", "POST", "/_emulator/counters/reset");
    await fault({ path: ASSESSMENTS, method: "GET", kind: "status", status: 429, times: 2 });
    await fault({ path: ASSESSMENTS, method: "GET", kind: "page", page: 2, status: 503, times: 1 });
    // 5 failures: the SDK's 4 attempts fail, the listing is restarted, the page fails once more, then works.
    await fault({ path: ASSESSMENTS, method: "GET", kind: "page", page: 3, status: 500, times: 5 });
    const runId = await newRun(tenantId);
    const result = await ingestDefender(tenantId, { mode: "full", runId, strategy: "arm", azure: FAST_AZURE, retryDelayMs: 10 });

    expect(result.status).toBe("succeeded");
    expect(await storedFindings(tenantId)).toEqual(asMap(await emulatorAssessments(suite.emu.manifest.arm.url)));
    expect(await counter("assessments", 429)).toBe(2);
    expect(await counter("assessments", 503)).toBe(1);
    expect(await counter("assessments", 500)).toBe(5);
    const restarts = await db().syncEvent.findMany({ where: { runId, action: "error", entityType: "listing" } });
    expect(restarts).toHaveLength(1);
    expect(restarts[0]!.message).toMatch(/HTTP 500.*attempt 1 of 3, listing again/);
    expect(result.counts).toMatchObject({ listingRetries: 1 });
  });

  test("Resource Graph: 429 without Retry-After, 503 and a dropped connection are retried; the data is exact", async () => {
    await suite.emu.control("arm", "POST", "/_emulator/assessments/status", { count: 7, status: "Healthy" });
    await fault({ path: "/providers/Microsoft.ResourceGraph/resources", kind: "status", status: 429, times: 1 });
    await fault({ path: "/providers/Microsoft.ResourceGraph/resources", kind: "status", status: 503, times: 1 });
    await fault({ path: "/providers/Microsoft.ResourceGraph/resources", kind: "drop", times: 1 });
    const runId = await newRun(tenantId);
    const result = await ingestDefender(tenantId, { mode: "full", runId, strategy: "resource-graph", azure: FAST_AZURE, retryDelayMs: 10 });
    expect(result.status).toBe("succeeded");
    expect(result.strategy).toBe("resource-graph");
    expect(await storedFindings(tenantId)).toEqual(asMap(await emulatorAssessments(suite.emu.manifest.arm.url)));
    expect(result.counts).toMatchObject({ findings: { statusChanged: 7 } });
  });

  test("Resource Graph refused (403) falls back to the ARM listing of each subscription", async () => {
    await fault({ path: "/providers/Microsoft.ResourceGraph/resources", kind: "status", status: 403 });
    await suite.emu.control("arm", "POST", "/_emulator/assessments/status", { count: 3, status: "NotApplicable" });
    const runId = await newRun(tenantId);
    const result = await ingestDefender(tenantId, { mode: "full", runId, strategy: "resource-graph", azure: FAST_AZURE, retryDelayMs: 10 });
    expect(result.strategy).toBe("arm");
    expect(await storedFindings(tenantId)).toEqual(asMap(await emulatorAssessments(suite.emu.manifest.arm.url)));
    const fallback = await db().syncEvent.findFirst({ where: { runId, action: "error", entityId: "Resource Graph securityresources" } });
    expect(fallback?.message).toMatch(/HTTP 403.*listing each subscription through ARM instead/);
  });

  test("a subscription that cannot be listed ends the run partial, with an error event, and its findings are not marked removed", async () => {
    const broken = suite.emu.manifest.arm.subscriptionIds[1]!;
    const before = (await storedFindings(tenantId)).size;
    await fault({ path: `/subscriptions/${broken}/providers/Microsoft.Security/assessments`, method: "GET", kind: "status", status: 500 });
    const runId = await newRun(tenantId);
    const result = await ingestDefender(tenantId, { mode: "full", runId, strategy: "arm", azure: FAST_AZURE, retryDelayMs: 10 });
    expect(result.status).toBe("partial");
    expect(result.problems.join(" ")).toMatch(/1 subscriptions could not be listed/);
    expect((await storedFindings(tenantId)).size).toBe(before);
    expect(await db().syncEvent.count({ where: { runId, action: "removed" } })).toBe(0);
    const errors = await db().syncEvent.findMany({ where: { runId, action: "error", entityId: `subscription ${broken}` } });
    expect(errors).toHaveLength(3);
    const sub = await db().subscription.findFirstOrThrow({ where: { azureTenantId: tenantId, subscriptionId: broken } });
    const healthy = await db().subscription.findFirstOrThrow({ where: { azureTenantId: tenantId, subscriptionId: { not: broken } } });
    expect(sub.lastIngestedAt!.getTime()).toBeLessThan(healthy.lastIngestedAt!.getTime());
  });
});
