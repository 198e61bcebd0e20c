// Bad paths a client must see as clear 4xx (mapped to AppError codes), never a hang or a 500:
// missing/invalid/expired tokens (401 + WWW-Authenticate), no role (403), api-version (400), a nextLink to
// another origin (refused before the token is sent), and the per-subscription read budget (429).
// Private emulators: these tests move the emulated clock and change throttling for everyone.
import { ConfidentialClientApplication } from "@azure/msal-node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { privateEmulators, type TestEmulators } from "@/emulators/common/testing";
import { AppError } from "@/lib/http/errors";
import { type AzureClient, createAzureClient } from "./client";

let emu: TestEmulators;
let client: AzureClient;
let subscriptionId: string;

function clientFor(principal: { clientId: string; clientSecret: string }): AzureClient {
  const m = emu.manifest;
  return createAzureClient({
    tenantId: m.tenantId,
    ...principal,
    authorityHost: m.entra.url,
    armEndpoint: m.arm.url,
    retry: { maxRetries: 0 },
    throttle: { maxRetries: 0 },
  });
}

async function armToken(): Promise<string> {
  const m = emu.manifest;
  const app = new ConfidentialClientApplication({
    auth: { ...m.entra.armServicePrincipal, authority: m.entra.authority, knownAuthorities: [m.entra.knownAuthority] },
  });
  return (await app.acquireTokenByClientCredential({ scopes: ["https://management.azure.com/.default"] }))!.accessToken;
}

const listPath = () => `/subscriptions/${subscriptionId}/providers/Microsoft.Security/assessments`;

beforeAll(async () => {
  emu = await privateEmulators();
  subscriptionId = emu.manifest.arm.subscriptionIds[0]!;
  client = clientFor(emu.manifest.entra.armServicePrincipal);
}, 60_000);
afterAll(() => emu?.stop());

describe("authentication and authorization", () => {
  test("no bearer token: 401 AuthenticationFailed with a WWW-Authenticate challenge naming the authority", async () => {
    const response = await fetch(`${emu.manifest.arm.url}${listPath()}?api-version=2021-06-01`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain(`authorization_uri="${emu.manifest.entra.authority}"`);
    expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(await response.json()).toMatchObject({ error: { code: "AuthenticationFailed" } });
  });

  test("a token signed by someone else is 401 InvalidAuthenticationToken", async () => {
    const [header, payload] = (await armToken()).split(".");
    const forged = `${header}.${payload}.${Buffer.from("not a signature").toString("base64url")}`;
    const response = await fetch(`${emu.manifest.arm.url}${listPath()}?api-version=2021-06-01`, {
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "InvalidAuthenticationToken" } });
  });

  test("a service principal without a role: 403 AuthorizationFailed → UPSTREAM_FORBIDDEN; its subscription list is empty", async () => {
    const noAccess = clientFor(emu.manifest.entra.noAccessServicePrincipal);
    const error = await noAccess
      .assessments(subscriptionId)
      .next()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "UPSTREAM_FORBIDDEN", message: expect.stringContaining("AuthorizationFailed") });
    expect(await noAccess.listSubscriptions()).toEqual([]);
  });

  test("a wrong client secret surfaces as UPSTREAM_AUTH before any ARM call", async () => {
    const bad = clientFor({ clientId: emu.manifest.entra.armServicePrincipal.clientId, clientSecret: "wrong" });
    const error = await bad.listSubscriptions().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "UPSTREAM_AUTH" });
    expect(String((error as Error).message)).toContain("AADSTS7000215");
  });

  test("an unknown subscription is 404 SubscriptionNotFound → UPSTREAM_NOT_FOUND", async () => {
    const error = await client
      .assessments("99999999-9999-9999-9999-999999999999")
      .next()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "UPSTREAM_NOT_FOUND", message: expect.stringContaining("SubscriptionNotFound") });
  });
});

describe("api-version", () => {
  test("missing: 400 MissingApiVersionParameter; unsupported: 400 InvalidApiVersionParameter (UPSTREAM_BAD_REQUEST)", async () => {
    await expect(client.raw({ method: "GET", path: listPath(), what: "test" })).rejects.toMatchObject({
      code: "UPSTREAM_BAD_REQUEST",
      message: expect.stringContaining("MissingApiVersionParameter"),
    });
    await expect(client.raw({ method: "GET", path: listPath(), apiVersion: "2099-01-01", what: "test" })).rejects.toMatchObject({
      code: "UPSTREAM_BAD_REQUEST",
      message: expect.stringContaining("InvalidApiVersionParameter"),
    });
  });
});

describe("links and throttling", () => {
  test("a link to another origin is refused before the bearer token leaves the process", async () => {
    const other = emu.manifest.arm.url.replace("localhost", "127.0.0.1");
    const before = await emu.control<{ total: number }>("arm", "GET", "/_emulator/counters?emulator=arm");
    await expect(
      client.raw({ method: "GET", path: `${other}/subscriptions`, apiVersion: "2022-12-01", what: "test" }),
    ).rejects.toMatchObject({
      code: "UPSTREAM_BAD_REQUEST",
      message: expect.stringContaining("Refusing to follow a link"),
    });
    const after = await emu.control<{ total: number }>("arm", "GET", "/_emulator/counters?emulator=arm");
    expect(after.body.total).toBe(before.body.total);
  });

  test("over the read budget: 429 with Retry-After and x-ms-ratelimit-remaining-subscription-reads counting down", async () => {
    await emu.control("arm", "PATCH", "/_emulator/arm/config", { readBudget: { limit: 2, windowSeconds: 60 } });
    try {
      const token = await armToken();
      const call = () =>
        fetch(`${emu.manifest.arm.url}${listPath()}?api-version=2021-06-01`, { headers: { authorization: `Bearer ${token}` } });
      const first = await call();
      expect(first.headers.get("x-ms-ratelimit-remaining-subscription-reads")).toBe("1");
      expect((await call()).headers.get("x-ms-ratelimit-remaining-subscription-reads")).toBe("0");
      const third = await call();
      expect(third.status).toBe(429);
      expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await third.json()).toMatchObject({ error: { code: "SubscriptionRequestsThrottled" } });
      // The window is emulated time: moving the clock past it restores the budget.
      await emu.control("arm", "POST", "/_emulator/clock", { advanceSeconds: 61 });
      expect((await call()).status).toBe(200);
    } finally {
      await emu.control("arm", "PATCH", "/_emulator/arm/config", { readBudget: null });
      await emu.control("arm", "POST", "/_emulator/reset", { state: false, faults: false, counters: false, clock: true });
    }
  });

  test("a token is refused as expired once the emulated clock passes its exp (401 ExpiredAuthenticationToken)", async () => {
    const token = await armToken();
    try {
      await emu.control("arm", "POST", "/_emulator/clock", { advanceSeconds: 2 * 3600 });
      const response = await fetch(`${emu.manifest.arm.url}${listPath()}?api-version=2021-06-01`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "ExpiredAuthenticationToken" } });
    } finally {
      await emu.control("arm", "POST", "/_emulator/reset", { state: false, faults: false, counters: false, clock: true });
    }
  });
});
