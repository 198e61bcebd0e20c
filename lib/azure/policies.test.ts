import { createHttpHeaders, createPipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { describe, expect, test, vi } from "vitest";
import { NextLinkOriginError } from "./errors";
import { originGuardPolicy, throttleRetryPolicy, timeoutPolicy } from "./policies";

const response = (status: number, headers: Record<string, string> = {}) =>
  ({ status, headers: createHttpHeaders(headers), request: createPipelineRequest({ url: "https://arm.example" }) }) as PipelineResponse;

describe("originGuardPolicy", () => {
  test("lets requests to the configured ARM origin through and refuses any other origin before sending", async () => {
    const policy = originGuardPolicy("https://localhost:8443/");
    const next = vi.fn(async () => response(200));
    await policy.sendRequest(createPipelineRequest({ url: "https://localhost:8443/subscriptions?x=1" }), next);
    await expect(policy.sendRequest(createPipelineRequest({ url: "https://evil.example/subscriptions" }), next)).rejects.toBeInstanceOf(NextLinkOriginError);
    await expect(policy.sendRequest(createPipelineRequest({ url: "https://localhost:9443/subscriptions" }), next)).rejects.toThrow(/Refusing/);
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
