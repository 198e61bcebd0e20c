// A tenant of 2,500 subscriptions (the emulator's "estate" seed) ingested through the product's own path —
// discovery, assessments, tags, sub-assessments, governance, secure scores and regulatory compliance — with
// every Resource Graph request within the documented limits (≤ 250 subscriptions per request, explicit $top)
// and paced by the quota headers, so no 429 ever reaches the run, and secure scores read from Resource Graph
// (a few queries) instead of two ARM listings per subscription (5,000 requests).
import { describe, expect, test } from "vitest";
import { SUBSCRIPTIONS_PER_REQUEST } from "@/lib/azure/resource-graph";
import { db } from "@/lib/db";
import { ingestDefender } from "./ingest";
import { asMap, emulatorAssessments, newRun, registerEmulatorTenant, storedFindings } from "./testing/fixtures";
import { integrationSuite } from "@/test/integration";

type GraphLogEntry = { subscriptions: number | null; top: number | null; status: number; quotaRemaining: number };
type Counter = { route: string; method: string; count: number; status: number };

const suite = integrationSuite({ emulators: { seed: 7, size: "estate" }, timeoutMs: 300_000 });

describe("a tenant of 2,500 subscriptions", () => {
  test("a full ingestion reads everything in batches within the Resource Graph quota, with no 429 reaching the run", async () => {
    expect(suite.emu.manifest.arm.subscriptionIds).toHaveLength(2500);
    // A quota the pass's ~460 requests exhaust about fifteen times: it must wait for resets again and again
    // (the pacing is what is tested; a smaller quota only makes the test slower).
    await suite.emu.control("arm", "PATCH", "/_emulator/arm/config", { resourceGraphQuota: { limit: 30, windowSeconds: 2 } });
    await suite.emu.control("arm", "DELETE", "/_emulator/arm/resource-graph/log");
    await suite.emu.control("arm", "POST", "/_emulator/counters/reset");

    const tenant = await registerEmulatorTenant(suite.emu.manifest);
    const runId = await newRun(tenant.id);
    const result = await ingestDefender(tenant.id, { mode: "full", runId });

    const run = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
    const errors = await db().syncEvent.findMany({ where: { runId, action: "error" }, select: { entityId: true, message: true } });
    expect(errors).toEqual([]);
    expect(result.problems).toEqual([]);
    expect(result.status).toBe("succeeded");
    const counts = (run.counts as { defender: Record<string, unknown> }).defender;
    expect(counts.strategy).toBe("resource-graph");

    // Every assessment of every subscription is a finding.
    expect(await storedFindings(tenant.id)).toEqual(asMap(await emulatorAssessments(suite.emu.manifest.arm.url)));
    expect(await db().subscription.count({ where: { azureTenantId: tenant.id, included: true } })).toBe(2500);

    // Resource Graph: within the limits and the quota, never answered 429.
    const log = (await suite.emu.control<{ value: GraphLogEntry[] }>("arm", "GET", "/_emulator/arm/resource-graph/log")).body.value;
    expect(log.length).toBeGreaterThan(0);
    expect(log.filter((e) => e.status !== 200)).toEqual([]);
    expect(Math.max(...log.map((e) => e.subscriptions ?? 0))).toBeLessThanOrEqual(SUBSCRIPTIONS_PER_REQUEST);
    expect(log.every((e) => e.top !== null && e.top <= 1000)).toBe(true);

    // Secure scores from Resource Graph: one per subscription, and no per-subscription ARM listing of them.
    expect(await db().secureScore.count({ where: { subscriptionId: { in: suite.emu.manifest.arm.subscriptionIds } } })).toBe(2500);
    const counters = (await suite.emu.control<{ value: Counter[] }>("arm", "GET", "/_emulator/counters?emulator=arm")).body.value;
    const armListings = (match: RegExp) => counters.filter((c) => match.test(c.route)).reduce((n, c) => n + c.count, 0);
    expect(armListings(/secureScore/i)).toBe(0);
    expect(armListings(/regulatoryCompliance/i)).toBe(0);
    // The whole pass in Resource Graph requests: a few per 250-subscription batch and step (measured: 464, of
    // which ~360 are pages of regulatory compliance rows, ~350,000 of them at 1,000 per page), not thousands.
    expect(log.length).toBeLessThan(600);
  }, 900_000);
});
