import { createHttpHeaders, createPipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { describe, expect, test, vi } from "vitest";
import { NextLinkOriginError } from "./errors";
import { originGuardPolicy, readPacingPolicy, throttleRetryPolicy, timeoutPolicy } from "./policies";

const response = (status: number, headers: Record<string, string> = {}) =>
  ({ status, headers: createHttpHeaders(headers), request: createPipelineRequest({ url: "https://arm.example" }) }) as PipelineResponse;

describe("originGuardPolicy", () => {
  test("lets requests to the configured ARM origin through and refuses any other origin before sending", async () => {
    const policy = originGuardPolicy("https://localhost:8443/");
    const next = vi.fn(async () => response(200));
    await policy.sendRequest(createPipelineRequest({ url: "https://localhost:8443/subscriptions?x=1" }), next);
    await expect(policy.sendRequest(createPipelineRequest({ url: "https://evil.example/subscriptions" }), next)).rejects.toBeInstanceOf(
      NextLinkOriginError,
    );
    await expect(policy.sendRequest(createPipelineRequest({ url: "https://localhost:9443/subscriptions" }), next)).rejects.toThrow(
      /Refusing/,
    );
    expect(next).toHaveBeenCalledTimes(1);
  });
});

describe("throttleRetryPolicy", () => {
  test("retries a 429 without Retry-After with growing delays, and stops after maxRetries", async () => {
    const sleeps: number[] = [];
    const policy = throttleRetryPolicy({ maxRetries: 3, baseDelayMs: 100, maxDelayMs: 250 }, async (ms) => void sleeps.push(ms));
    const next = vi.fn(async () => response(429));
    const result = await policy.sendRequest(createPipelineRequest({ url: "https://arm.example" }), next);
    expect(result.status).toBe(429);
    expect(next).toHaveBeenCalledTimes(4);
    expect(sleeps).toHaveLength(3);
    expect(sleeps[0]).toBeGreaterThanOrEqual(50);
    expect(sleeps[2]).toBeLessThanOrEqual(250);
  });

  test("leaves 429s that carry Retry-After (the SDK's job) and other statuses alone", async () => {
    const policy = throttleRetryPolicy({ maxRetries: 3, baseDelayMs: 1, maxDelayMs: 1 }, async () => undefined);
    for (const r of [response(429, { "retry-after": "2" }), response(429, { "retry-after-ms": "20" }), response(503), response(200)]) {
      const next = vi.fn(async () => r);
      await policy.sendRequest(createPipelineRequest({ url: "https://arm.example" }), next);
      expect(next).toHaveBeenCalledTimes(1);
    }
  });

  test("succeeds when a retry succeeds", async () => {
    const policy = throttleRetryPolicy({ maxRetries: 3, baseDelayMs: 1, maxDelayMs: 1 }, async () => undefined);
    const next = vi.fn().mockResolvedValueOnce(response(429)).mockResolvedValueOnce(response(200));
    expect((await policy.sendRequest(createPipelineRequest({ url: "https://arm.example" }), next)).status).toBe(200);
  });
});

describe("timeoutPolicy", () => {
  test("sets a timeout on requests that have none and keeps an explicit one", async () => {
    const policy = timeoutPolicy(1234);
    const seen: number[] = [];
    const next = vi.fn(async (req: { timeout: number }) => {
      seen.push(req.timeout);
      return response(200);
    });
    await policy.sendRequest(createPipelineRequest({ url: "https://arm.example" }), next as never);
    await policy.sendRequest(createPipelineRequest({ url: "https://arm.example", timeout: 50 }), next as never);
    expect(seen).toEqual([1234, 50]);
  });
});

describe("readPacingPolicy", () => {
  const SUB = "https://arm.example/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.Security/assessments";
  const OTHER = "https://arm.example/subscriptions/22222222-2222-2222-2222-222222222222/providers/Microsoft.Security/assessments";

  /** The policy on a fake clock: each wait is recorded in `slept`; `sleepMovesClock` also moves the clock by it. */
  function pacing(options: Parameters<typeof readPacingPolicy>[0], sleepMovesClock: boolean) {
    const fake = { t: 0, slept: [] as number[] };
    const sleep = async (ms: number) => {
      fake.slept.push(ms);
      if (sleepMovesClock) fake.t += ms;
    };
    return { fake, slept: fake.slept, policy: readPacingPolicy(options, sleep, () => fake.t) };
  }

  test("reads at full speed while the remaining count is high, then waits for the bucket to refill below the low water mark", async () => {
    const { slept, policy } = pacing({ lowWater: 10, refillPerSecond: 25, maxDelayMs: 5000 }, true);
    let remaining = 12;
    const next = vi.fn(async () => response(200, { "x-ms-ratelimit-remaining-subscription-reads": String(remaining--) }));
    for (let i = 0; i < 3; i++) await policy.sendRequest(createPipelineRequest({ url: SUB, method: "GET" }), next);
    // 12 and 11 left: no wait; 10 left (at the mark): the next read waits for 1 token (40 ms at 25/s).
    expect(slept).toEqual([]);
    await policy.sendRequest(createPipelineRequest({ url: SUB, method: "GET" }), next);
    expect(slept).toEqual([40]);
    // Another subscription has its own bucket; writes are not paced by the read count.
    await policy.sendRequest(createPipelineRequest({ url: OTHER, method: "GET" }), next);
    await policy.sendRequest(
      createPipelineRequest({ url: SUB, method: "PUT" }),
      vi.fn(async () => response(200)),
    );
    expect(slept).toEqual([40]);
    expect(policy.stats()).toMatchObject({ waits: 1, waitedMs: 40, lowestRemaining: 8 });
  });

  test("time that passed since the count was reported counts as refilled; the wait is capped", async () => {
    const { fake, slept, policy } = pacing({ lowWater: 100, refillPerSecond: 1, maxDelayMs: 2000 }, false);
    await policy.sendRequest(createPipelineRequest({ url: SUB, method: "GET" }), async () =>
      response(200, { "x-ms-ratelimit-remaining-subscription-reads": "0" }),
    );
    fake.t = 500;
    await policy.sendRequest(createPipelineRequest({ url: SUB, method: "GET" }), async () => response(200));
    expect(slept).toEqual([2000]);
  });
});
