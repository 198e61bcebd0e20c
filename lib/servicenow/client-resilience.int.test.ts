// Conformance: OAuth (password grant, expiry, refresh, rotation, fallback) and failure handling of
// PostureDesk's ServiceNow client — 429 with and without Retry-After, the instance's hourly rate limit,
// 5xx, dropped connections, a page failing mid-iteration and timeouts — driven by the fault engine.
// The instance is private to this file: its faults hit sys_choice, which instance discovery reads in
// other files running beside it (a shared instance let one of them consume a one-shot 429). Faults are
// still removed after each test.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { type ServiceNowTarget, startServiceNowForTests } from "@/emulators/servicenow/testing";
import { rejection } from "@/test/app";
import { type OAuthTokens } from "./auth";
import { createServiceNowClient, type ServiceNowClientOptions } from "./client";
import { q } from "./query";
import { cellValue } from "./records";

let sn: ServiceNowTarget;
const DEFAULT_OAUTH = { accessTokenLifetimeSeconds: 1800, rotateRefreshTokens: false, clientCredentialsEnabled: false };

function recorder(overrides: Partial<ServiceNowClientOptions> = {}) {
  const statuses: number[] = [];
  const client = createServiceNowClient({
    instanceUrl: sn.url,
    auth: { type: "basic", username: sn.username, password: sn.password },
    retryBaseDelayMs: 20,
    maxRetryDelayMs: 200,
    ...overrides,
    onRequest: (info) => statuses.push(info.status),
  });
  return { client, statuses };
}

const faultIds: string[] = [];

async function fault(rule: Record<string, unknown>): Promise<void> {
  const added = await sn.control<{ value: Array<{ id: string }> }>("POST", "/_emulator/faults", { emulator: "servicenow", ...rule });
  expect(added.status).toBe(201);
  faultIds.push(...added.body.value.map((f) => f.id));
}

beforeAll(async () => {
  sn = await startServiceNowForTests({ private: true });
});

afterEach(async () => {
  // Only this file's rules, so that each test starts from the instance's defaults.
  for (const id of faultIds.splice(0)) await sn.control("DELETE", `/_emulator/faults/${id}`);
  await sn.control("PUT", "/_emulator/oauth", DEFAULT_OAUTH);
  await sn.control("DELETE", "/_emulator/rate-limit");
});

afterAll(async () => {
  await sn?.stop();
});

describe("OAuth", () => {
  /** `saved` = tokens obtained from the instance (the store also sees the invalidation of a refused token). */
  function oauthClient(overrides: { clientSecret?: string } = {}) {
    const saved: OAuthTokens[] = [];
    let current: OAuthTokens | null = null;
    const { client, statuses } = recorder({
      auth: {
        type: "oauth",
        username: sn.username,
        password: sn.password,
        clientId: sn.oauthClientId,
        clientSecret: overrides.clientSecret ?? sn.oauthClientSecret,
        tokenStore: {
          load: () => current,
          save: (t) => {
            current = t;
            if (t && t.expiresAt > 0) saved.push(t);
          },
        },
      },
    });
    return { client, statuses, saved };
  }

  test("password grant, then a 401 on an expired token is answered with the refresh_token grant", async () => {
    const { client, statuses, saved } = oauthClient();
    await client.list("sys_user_group", { limit: 1 });
    expect(saved).toHaveLength(1);
    await sn.control("POST", "/_emulator/oauth/revoke", { accessTokensOnly: true });
    await client.list("sys_user_group", { limit: 1 });
    expect(statuses).toEqual([200, 401, 200]);
    expect(saved).toHaveLength(2);
    expect(saved[1]!.accessToken).not.toBe(saved[0]!.accessToken);
    expect(saved[1]!.refreshToken).toBe(saved[0]!.refreshToken);
  });

  test("tokens expire: the instance refuses an expired token, the client renews before expiry", async () => {
    await sn.control("PUT", "/_emulator/oauth", { accessTokenLifetimeSeconds: 1 });
    const form = new URLSearchParams({
      grant_type: "password",
      client_id: sn.oauthClientId,
      client_secret: sn.oauthClientSecret,
      username: sn.username,
      password: sn.password,
    });
    const token = await (await fetch(`${sn.url}/oauth_token.do`, { method: "POST", body: form })).json();
    expect(token).toMatchObject({ token_type: "Bearer", expires_in: 0, scope: "useraccount" });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const expired = await fetch(`${sn.url}/api/now/table/sys_user_group?sysparm_limit=1`, {
      headers: { authorization: `Bearer ${token.access_token}` },
    });
    expect(expired.status).toBe(401);

    await sn.control("PUT", "/_emulator/oauth", { accessTokenLifetimeSeconds: 2 });
    const { client, statuses, saved } = oauthClient();
    await client.list("sys_user_group", { limit: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await client.list("sys_user_group", { limit: 1 });
    expect(statuses).toEqual([200, 200]);
    expect(saved).toHaveLength(2);
  });

  test("rotated refresh tokens replace the old one; a refused refresh falls back to the password grant", async () => {
    await sn.control("PUT", "/_emulator/oauth", { rotateRefreshTokens: true });
    const { client, saved } = oauthClient();
    await client.list("sys_user_group", { limit: 1 });
    await sn.control("POST", "/_emulator/oauth/revoke", { accessTokensOnly: true });
    await client.list("sys_user_group", { limit: 1 });
    expect(saved[1]!.refreshToken).not.toBe(saved[0]!.refreshToken);
    const reuse = new URLSearchParams({
      grant_type: "refresh_token",
      client_id: sn.oauthClientId,
      client_secret: sn.oauthClientSecret,
      refresh_token: saved[0]!.refreshToken!,
    });
    expect((await fetch(`${sn.url}/oauth_token.do`, { method: "POST", body: reuse })).status).toBe(401);

    await sn.control("POST", "/_emulator/oauth/revoke", {});
    await client.list("sys_user_group", { limit: 1 });
    expect(saved).toHaveLength(3);
    expect(saved[2]!.refreshToken).not.toBe(saved[1]!.refreshToken);
  });

  test("client_credentials is refused unless enabled; a wrong client secret is UPSTREAM_AUTH", async () => {
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: sn.oauthClientId,
      client_secret: sn.oauthClientSecret,
    });
    const refused = await fetch(`${sn.url}/oauth_token.do`, { method: "POST", body: form });
    expect([refused.status, await refused.json()]).toEqual([401, { error_description: "access_denied", error: "server_error" }]);
    await sn.control("PUT", "/_emulator/oauth", { clientCredentialsEnabled: true });
    expect((await fetch(`${sn.url}/oauth_token.do`, { method: "POST", body: form })).status).toBe(200);

    const error = await rejection(oauthClient({ clientSecret: "wrong-secret" }).client.list("sys_user_group", { limit: 1 }));
    expect(error.code).toBe("UPSTREAM_AUTH");
    expect(JSON.stringify({ message: error.message, user: error.userMessage, details: error.details })).not.toContain("wrong-secret");
  });
});

describe("rate limits (429)", () => {
  test("waits for Retry-After, then succeeds", async () => {
    await fault({ path: "/api/now/table/sys_choice", kind: "status", status: 429, retryAfter: 1, times: 1 });
    const { client, statuses } = recorder();
    const started = Date.now();
    await client.list("sys_choice", { limit: 1 });
    expect(statuses).toEqual([429, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  test("without Retry-After, backs off and retries", async () => {
    await fault({ path: "/api/now/table/sys_choice", kind: "status", status: 429, times: 2 });
    const { client, statuses } = recorder();
    await client.list("sys_choice", { limit: 1 });
    expect(statuses).toEqual([429, 429, 200]);
  });

  test("a Retry-After beyond what the caller accepts is handed back as UPSTREAM_RATE_LIMITED", async () => {
    await fault({ path: "/api/now/table/sys_choice", kind: "status", status: 429, retryAfter: 600, times: 1 });
    const { client, statuses } = recorder({ maxRetryAfterSeconds: 30 });
    const error = await rejection(client.list("sys_choice", { limit: 1 }));
    expect([error.code, error.retryAfterSeconds, error.isRetryable]).toEqual(["UPSTREAM_RATE_LIMITED", 600, true]);
    expect(statuses).toEqual([429]);
  });

  test("the instance's hourly rule answers 429 with Retry-After and X-RateLimit headers", async () => {
    const readonly = sn.otherUsers.find((u) => u.username === "posturedesk.readonly")!;
    await sn.control("PUT", "/_emulator/rate-limit", { limitPerHour: 2, users: [readonly.username] });
    const headers = { authorization: `Basic ${Buffer.from(`${readonly.username}:${readonly.password}`).toString("base64")}` };
    const url = `${sn.url}/api/now/table/sys_user_group?sysparm_limit=1`;
    expect((await fetch(url, { headers })).status).toBe(200);
    expect((await fetch(url, { headers })).status).toBe(200);
    const limited = await fetch(url, { headers });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-ratelimit-limit")).toBe("2");
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(Number(limited.headers.get("x-ratelimit-reset")) % 3600).toBe(0);
    // Other users are not limited by a rule scoped to one user.
    await recorder().client.list("sys_user_group", { limit: 1 });
  });
});

describe("server errors, dropped connections and timeouts", () => {
  test("5xx on a read is retried; exhausted retries are UPSTREAM_UNAVAILABLE", async () => {
    await fault({ path: "/api/now/table/sys_choice", kind: "status", status: 503, times: 2 });
    const ok = recorder();
    await ok.client.list("sys_choice", { limit: 1 });
    expect(ok.statuses).toEqual([503, 503, 200]);

    await fault({ path: "/api/now/table/sys_choice", kind: "status", status: 500, times: 10 });
    const failing = recorder({ maxRetries: 2 });
    const error = await rejection(failing.client.list("sys_choice", { limit: 1 }));
    expect([error.code, failing.statuses]).toEqual(["UPSTREAM_UNAVAILABLE", [500, 500, 500]]);
  });

  test("a dropped connection is retried for reads and reported as uncertain for creates", async () => {
    await fault({ method: "GET", path: "/api/now/table/sys_choice", kind: "drop", times: 1 });
    const read = recorder();
    await read.client.list("sys_choice", { limit: 1 });
    expect(read.statuses).toEqual([0, 200]);

    await fault({ method: "POST", path: "/api/now/table/sys_user_group", kind: "drop", times: 1 });
    const write = recorder();
    const error = await rejection(write.client.create("sys_user_group", { name: "Dropped" }));
    expect([error.code, error.isRetryable, write.statuses]).toEqual(["UPSTREAM_UNCERTAIN", true, [0]]);

    await fault({ method: "POST", path: "/api/now/table/sys_user_group", kind: "status", status: 500, times: 1 });
    expect((await rejection(write.client.create("sys_user_group", { name: "Five hundred" }))).code).toBe("UPSTREAM_UNCERTAIN");
  });

  test("a page that fails mid-iteration is retried and the iteration completes", async () => {
    await fault({ path: "/api/now/table/sys_choice", kind: "page", page: 2, status: 500, times: 1 });
    const { client, statuses } = recorder();
    const ids: string[] = [];
    for await (const record of client.iterate("sys_choice", { limit: 10, query: q().orderBy("sys_id") }))
      ids.push(cellValue(record.sys_id));
    const total = (await client.list("sys_choice", { limit: 1 })).total!;
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    expect(statuses.slice(0, 3)).toEqual([200, 500, 200]);
  });

  test("a timeout retries a read, but a create that timed out is uncertain and not repeated", async () => {
    await fault({ method: "GET", path: "/api/now/table/sys_choice", kind: "latency", latencyMs: 1500, times: 1 });
    const read = recorder({ timeoutMs: 500 });
    await read.client.list("sys_choice", { limit: 1 });
    expect(read.statuses).toEqual([0, 200]);

    await fault({ method: "POST", path: "/api/now/table/sys_user_group", kind: "latency", latencyMs: 1500, times: 1 });
    const write = recorder({ timeoutMs: 500 });
    const error = await rejection(write.client.create("sys_user_group", { name: `timeout-${randomUUID()}` }));
    expect([error.code, error.isRetryable, error.details]).toEqual(["UPSTREAM_UNCERTAIN", true, { isUncertain: true }]);
    expect(write.statuses).toEqual([0]);
  });
});
