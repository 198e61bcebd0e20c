// A tenant of 2,500 subscriptions (the emulator's "estate" seed) read through Resource Graph as the
// product reads it: subscriptions in batches of 250 (the API refuses more than 1,000), an explicit $top,
// pacing from x-ms-user-quota-remaining / -resets-after so the quota is never overrun, and a 429 caused
// by someone else spending the same principal's quota retried after Retry-After, never reaching the caller.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { privateEmulators, type TestEmulators } from "@/emulators/common/testing";
import type { Assessment } from "@/emulators/seed/types";
import { emulatorAzureClient } from "@/lib/ingestion/testing/fixtures";
import { SUBSCRIPTIONS_PER_REQUEST } from "./resource-graph";

type GraphLogEntry = { subscriptions: number | null; top: number | null; status: number; quotaRemaining: number };

let emu: TestEmulators;
const graphLog = async () => (await emu.control<{ value: GraphLogEntry[] }>("arm", "GET", "/_emulator/arm/resource-graph/log")).body.value;

beforeAll(async () => {
  emu = await privateEmulators({ seed: 7, size: "estate" });
}, 120_000);
afterAll(() => emu?.stop());

const clientFor = () => emulatorAzureClient(emu.manifest, { retry: { maxRetries: 3 } });

describe("Resource Graph over 2,500 subscriptions", () => {
  test("the emulator refuses more than 1,000 subscriptions in one request (400 TooManySubscriptions)", async () => {
    const client = clientFor();
    const run = async () => {
      // Bypass the batching on purpose: a raw request with every subscription.
      await client.raw({
        method: "POST",
        path: "/providers/Microsoft.ResourceGraph/resources",
        apiVersion: "2024-04-01",
        body: {
          subscriptions: emu.manifest.arm.subscriptionIds,
          query: "securityresources | project id",
          options: { $top: 10, resultFormat: "objectArray" },
        },
        what: "Resource Graph query",
      });
    };
    await expect(run()).rejects.toMatchObject({ code: "UPSTREAM_BAD_REQUEST", message: expect.stringContaining("TooManySubscriptions") });
  });

  test("every assessment is read in batches of 250 within a small quota: the client waits for the reset, no 429 happens", async () => {
    expect(emu.manifest.arm.subscriptionIds.length).toBe(2500);
    // A quota of 4 queries per 2 s: 10 batches (and their pages) must pace three times or more.
    await emu.control("arm", "PATCH", "/_emulator/arm/config", { resourceGraphQuota: { limit: 4, windowSeconds: 2 } });
    await emu.control("arm", "DELETE", "/_emulator/arm/resource-graph/log");
    const client = clientFor();
    const ids: string[] = [];
    for await (const page of client.resourceGraph.assessments(emu.manifest.arm.subscriptionIds, { pageSize: 1000 }))
      ids.push(...page.map((a) => a.id.toLowerCase()));

    const { body } = await emu.control<{ value: Assessment[] }>("arm", "GET", "/_emulator/assessments?limit=200000");
    expect(ids.length).toBe(body.value.length);
    expect(new Set(ids)).toEqual(new Set(body.value.map((a) => a.id.toLowerCase())));

    const log = await graphLog();
    expect(
      log.every((e) => e.status === 200),
      JSON.stringify(log.filter((e) => e.status !== 200)),
    ).toBe(true);
    expect(Math.max(...log.map((e) => e.subscriptions ?? Infinity))).toBe(SUBSCRIPTIONS_PER_REQUEST);
    expect(log.filter((e) => e.subscriptions !== null).length).toBeGreaterThanOrEqual(2500 / SUBSCRIPTIONS_PER_REQUEST);
    expect(log.every((e) => e.top === 1000)).toBe(true);
    const pacing = client.pacing().resourceGraph;
    expect(pacing.waits).toBeGreaterThanOrEqual(2);
    expect(pacing.lowestRemaining).toBe(0);
  }, 120_000);

  test("a 429 caused by another consumer of the same principal's quota is retried after Retry-After, not surfaced", async () => {
    await emu.control("arm", "PATCH", "/_emulator/arm/config", { resourceGraphQuota: { limit: 3, windowSeconds: 2 } });
    await emu.control("arm", "DELETE", "/_emulator/arm/resource-graph/log");
    // Another process of the same service principal spends the whole quota (its own client, its own pacer).
    const other = clientFor();
    for (let i = 0; i < 3; i++)
      for await (const _ of other.resourceGraph.query("securityresources | project id", {
        subscriptions: emu.manifest.arm.subscriptionIds.slice(0, 10),
        top: 1,
      }))
        break;
    const client = clientFor();
    let count = 0;
    for await (const page of client.resourceGraph.query("securityresources | where type == 'microsoft.security/assessments' | project id", {
      subscriptions: emu.manifest.arm.subscriptionIds.slice(0, 500),
      top: 1000,
    }))
      count += page.rows.length;
    expect(count).toBeGreaterThan(0);
    const log = await graphLog();
    // The emulator did answer 429 (the client knew nothing of the other consumer) and the retry succeeded.
    expect(log.some((e) => e.status === 429)).toBe(true);
    expect(log.at(-1)!.status).toBe(200);
    await emu.control("arm", "PATCH", "/_emulator/arm/config", { resourceGraphQuota: { limit: 15, windowSeconds: 5 } });
  }, 60_000);
});
