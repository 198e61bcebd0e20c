// POST /api/tickets when things go wrong upstream: OAuth tokens revoked or expired, 429 storms with and
// without Retry-After, the instance's hourly rate limit, a POST whose answer is lost (5xx, dropped
// connection) and a throttled Azure governance API. Runs on private emulators: it injects faults and
// moves the emulated clock, which would disturb other test files.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { privateEmulators, type TestEmulators } from "@/emulators/common/testing";
import { decryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { type TServiceNowConnectionDto } from "@/lib/schemas/connections";
import { type TCreatedTicket } from "@/lib/schemas/tickets";
import { call, configureTestEnv, signedInUser } from "@/test/app";
import { type BoundTestDatabase, useTestDatabase } from "@/test/db";
import * as ticketsRoute from "@/app/api/tickets/route";
import { stopBoss } from "@/lib/jobs/boss";
import { correlationBase } from "./correlation";
import { attemptTicketRequest } from "./request-job";
import { emulatorConnection, seedFindingsFromEmulator, type SeededWorld } from "./testing";
import { governanceTicketLink } from "@/lib/tickets/states";

let database: BoundTestDatabase;
let emu: TestEmulators;
let world: SeededWorld;
let basic: TServiceNowConnectionDto;
let oauth: TServiceNowConnectionDto;
let analyst: string;
let nextFinding = 0;

const take = (n: number) => {
  const picked = world.unhealthy.slice(nextFinding, nextFinding + n);
  nextFinding += n;
  expect(picked).toHaveLength(n);
  return picked;
};

async function post(body: unknown) {
  const res = await call(ticketsRoute.POST, "POST", "/api/tickets", { body, cookie: analyst });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as { tickets: TCreatedTicket[]; pending?: Array<{ id: string }>; detail?: string },
  };
}

async function fault(emulator: "servicenow" | "arm", rule: Record<string, unknown>): Promise<void> {
  const added = await emu.control(emulator, "POST", "/_emulator/faults", rule);
  expect(added.status).toBe(201);
}

async function snCount(correlationId: string): Promise<number> {
  const r = await emu.control<{ total: number }>(
    "servicenow",
    "GET",
    `/_emulator/records/incident?sysparm_query=${encodeURIComponent(`correlation_id=${correlationId}`)}`,
  );
  return r.body.total;
}

async function counted(method: string, route: string): Promise<number> {
  const r = await emu.control<{ total: number }>(
    "servicenow",
    "GET",
    `/_emulator/counters?emulator=servicenow&method=${method}&route=${encodeURIComponent(route)}`,
  );
  return r.body.total;
}

beforeAll(async () => {
  database = await useTestDatabase();
  configureTestEnv(database.url);
  emu = await privateEmulators();
  world = await seedFindingsFromEmulator(emu.manifest);
  basic = await emulatorConnection(emu.manifest);
  oauth = await emulatorConnection(emu.manifest, {
    authType: "oauth",
    oauthClientId: emu.manifest.servicenow.oauthClientId,
    oauthClientSecret: emu.manifest.servicenow.oauthClientSecret,
  });
  analyst = (await signedInUser("ANALYST")).cookie;
});

afterEach(async () => {
  await emu.control("servicenow", "DELETE", "/_emulator/faults");
  await emu.control("arm", "DELETE", "/_emulator/faults");
  await emu.control("servicenow", "DELETE", "/_emulator/rate-limit");
});

afterAll(async () => {
  await stopBoss({ graceful: false, timeoutMs: 2000 });
  await database?.drop();
  await emu?.stop();
});

describe("OAuth", () => {
  test("the token is stored encrypted and reused; a revoked token is renewed and the ticket still created", async () => {
    const first = await post({ connectionId: oauth.id, type: "incident", findingIds: take(1).map((f) => f.id) });
    expect(first.status).toBe(201);
    const row = await db().serviceNowConnection.findUniqueOrThrow({ where: { id: oauth.id }, omit: { oauthTokenEnc: false } });
    const tokens = JSON.parse(decryptSecret(row.oauthTokenEnc!)) as { accessToken: string; refreshToken: string };
    expect(tokens.accessToken.length).toBeGreaterThan(10);
    expect(row.oauthTokenEnc).not.toContain(tokens.accessToken);

    const grantsBefore = await counted("POST", "/oauth_token.do");
    await emu.control("servicenow", "POST", "/_emulator/oauth/revoke", { accessTokensOnly: true });
    const second = await post({ connectionId: oauth.id, type: "incident", findingIds: take(1).map((f) => f.id) });
    expect(second.status).toBe(201);
    // One renewal (refresh_token grant), not one per request.
    expect((await counted("POST", "/oauth_token.do")) - grantsBefore).toBe(1);
  });

  test("refused OAuth credentials: 502 with ServiceNow's refusal, nothing created", async () => {
    const wrong = await emulatorConnection(emu.manifest, {
      authType: "oauth",
      oauthClientId: emu.manifest.servicenow.oauthClientId,
      oauthClientSecret: "not-the-secret",
    });
    const [finding] = take(1);
    const res = await post({ connectionId: wrong.id, type: "incident", findingIds: [finding!.id] });
    expect(res.status).toBe(502);
    expect(res.body.detail).toBe("ServiceNow refused the OAuth credentials.");
    expect(await db().ticketLink.count({ where: { findingId: finding!.id } })).toBe(0);
  });
});

describe("429 storms", () => {
  test("429s with Retry-After, then without: the ticket is created once", async () => {
    await fault("servicenow", { method: "POST", path: "/api/now/table/incident", kind: "status", status: 429, retryAfter: 1, times: 2 });
    await fault("servicenow", { method: "GET", path: "/api/now/table/incident", kind: "status", status: 429, times: 2 });
    const findings = take(2);
    const started = Date.now();
    const res = await post({ connectionId: basic.id, type: "incident", findingIds: findings.map((f) => f.id) });
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(
      await snCount(
        `${correlationBase(
          basic.correlationPrefix,
          "incident",
          findings.map((f) => f.armId),
        )}:g1`,
      ),
    ).toBe(1);
  });

  test("a Retry-After longer than we wait: 202, the ticket request waits for it, nothing half-done", async () => {
    await fault("servicenow", { method: "POST", path: "/api/now/table/incident", kind: "status", status: 429, retryAfter: 600, times: 1 });
    const [finding] = take(1);
    const res = await post({ connectionId: basic.id, type: "incident", findingIds: [finding!.id] });
    expect(res.status).toBe(202);
    const request = await db().ticketRequest.findUniqueOrThrow({ where: { id: res.body.pending![0]!.id } });
    expect(request).toMatchObject({ status: "pending", attempts: 1, errorCode: "UPSTREAM_RATE_LIMITED" });
    expect(request.error).toMatch(/^ServiceNow: /);
    // The next attempt honours ServiceNow's Retry-After.
    expect(request.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(590_000);
    expect(await db().ticketLink.count({ where: { findingId: finding!.id } })).toBe(0);
    // Once the storm has passed the retry creates it.
    expect((await attemptTicketRequest(request.id)).status).toBe("created");
    expect(await db().ticketLink.count({ where: { findingId: finding!.id } })).toBe(1);
  });

  test("the instance's hourly rate limit: 202, then the retry after the window creates it", async () => {
    await emu.control("servicenow", "PUT", "/_emulator/rate-limit", { limitPerHour: 1, users: [emu.manifest.servicenow.username] });
    const [finding] = take(1);
    const limited = await post({ connectionId: basic.id, type: "incident", findingIds: [finding!.id] });
    expect(limited.status).toBe(202);
    await emu.control("servicenow", "DELETE", "/_emulator/rate-limit");
    expect((await attemptTicketRequest(limited.body.pending![0]!.id)).status).toBe("created");
  });
});

describe("a POST whose outcome is unknown", () => {
  test.each([
    ["a 502 after sending", { kind: "status", status: 502 }],
    ["a dropped connection", { kind: "drop" }],
  ])("%s: looked up by correlation id, then created exactly once", async (_label, rule) => {
    await fault("servicenow", { method: "POST", path: "/api/now/table/incident", times: 1, ...rule });
    const findings = take(2);
    const res = await post({ connectionId: basic.id, type: "incident", findingIds: findings.map((f) => f.id) });
    expect(res.status).toBe(201);
    expect(
      await snCount(
        `${correlationBase(
          basic.correlationPrefix,
          "incident",
          findings.map((f) => f.armId),
        )}:g1`,
      ),
    ).toBe(1);
  });

  test("a record the lost POST did create is found and linked, not created again", async () => {
    const findings = take(1);
    const correlationId = `${correlationBase(
      basic.correlationPrefix,
      "incident",
      findings.map((f) => f.armId),
    )}:g1`;
    // As if an earlier attempt's POST had reached ServiceNow and its answer had been lost.
    const created = await emu.control<{ result: { number: string } }>("servicenow", "POST", "/_emulator/records/incident", {
      fields: { short_description: "created by a lost attempt", correlation_id: correlationId },
      user: emu.manifest.servicenow.username,
    });
    const posts = await counted("POST", "/api/now/table/:table");
    const res = await post({ connectionId: basic.id, type: "incident", findingIds: findings.map((f) => f.id) });
    expect(res.status).toBe(201);
    expect(res.body.tickets[0]!.number).toBe(created.body.result.number);
    expect(await counted("POST", "/api/now/table/:table")).toBe(posts);
    expect(await snCount(correlationId)).toBe(1);
  });
});

describe("Azure governance throttled", () => {
  test("the ticket is created; the assignment is left in error for the sync engine to retry", async () => {
    await fault("arm", { method: "PUT", path: "**/governanceAssignments/*", kind: "status", status: 429, times: 20 });
    const [finding] = take(1);
    const res = await post({ connectionId: basic.id, type: "incident", findingIds: [finding!.id] });
    expect(res.status).toBe(201);
    const row = await db().governanceAssignment.findFirstOrThrow({ where: { findingId: finding!.id } });
    expect(row.azureState).toBe("error");
    expect(row.azureError).toBeTruthy();
    expect(row.ticketLink).toBe(governanceTicketLink(res.body.tickets[0]!.url, "incident", res.body.tickets[0]!.number));

    await emu.control("arm", "DELETE", "/_emulator/faults");
    // The sync engine's governance phase retries it (lib/sync/governance-sync.ts).
    const { pushConnectionGovernance } = await import("@/lib/sync/governance-sync");
    const run = await db().syncRun.create({
      data: { kind: "servicenow_sync", trigger: "manual", status: "running", connectionId: basic.id },
    });
    expect(await pushConnectionGovernance({ connectionId: basic.id, runId: run.id })).toMatchObject({ failed: 0 });
    expect((await db().governanceAssignment.findFirstOrThrow({ where: { findingId: finding!.id } })).azureState).toBe("synced");
  });
});

// Last: moving the shared emulated clock also expires the ARM tokens MSAL has cached for governance.
describe("OAuth expiry", () => {
  test("an access token that expired on the instance's clock is refreshed transparently", async () => {
    const grantsBefore = await counted("POST", "/oauth_token.do");
    await emu.control("servicenow", "POST", "/_emulator/clock", { advanceSeconds: 2 * 3600 });
    const res = await post({ connectionId: oauth.id, type: "incident", findingIds: take(1).map((f) => f.id) });
    expect(res.status).toBe(201);
    expect((await counted("POST", "/oauth_token.do")) - grantsBefore).toBe(1);
  });
});
