// POST /api/tickets when things go wrong upstream: OAuth tokens revoked or expired, 429 storms with and
// without Retry-After, the instance's hourly rate limit, a POST whose answer is lost (5xx, dropped
// connection) and a throttled Azure governance API. Runs on private emulators: it injects faults and
// moves the emulated clock, which would disturb other test files.
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { decryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { type TServiceNowConnectionDto } from "@/lib/schemas/connections";
import { type TCreatedTicket } from "@/lib/schemas/tickets";
import { call, signedInUser } from "@/test/app";
import { addFault, findingsWorldSuite } from "@/test/integration";
import * as ticketsRoute from "@/app/api/tickets/route";
import { attemptTicketRequest } from "@/lib/tickets/request-job";
import { emulatorConnection, firstIncidentCorrelation } from "@/lib/tickets/testing";
import { governanceTicketLink } from "@/lib/tickets/states";

const suite = findingsWorldSuite({ emulators: "private", stopsBoss: true });
const { take } = suite;
let oauth: TServiceNowConnectionDto;
let analyst: string;

async function post(body: unknown) {
  const res = await call(ticketsRoute.POST, "POST", "/api/tickets", { body, cookie: analyst });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as { tickets: TCreatedTicket[]; pending?: Array<{ id: string }>; detail?: string },
  };
}

const fault = (emulator: "servicenow" | "arm", rule: Record<string, unknown>) => addFault(suite.emu, emulator, rule);
const snCount = (correlationId: string) => suite.sn.count("incident", `correlation_id=${correlationId}`);
const counted = (method: string, route: string) => suite.sn.requests({ method, route });

beforeAll(async () => {
  oauth = await emulatorConnection(suite.emu.manifest, {
    authType: "oauth",
    oauthClientId: suite.emu.manifest.servicenow.oauthClientId,
    oauthClientSecret: suite.emu.manifest.servicenow.oauthClientSecret,
  });
  analyst = (await signedInUser("ANALYST")).cookie;
});

afterEach(async () => {
  await suite.emu.control("servicenow", "DELETE", "/_emulator/faults");
  await suite.emu.control("arm", "DELETE", "/_emulator/faults");
  await suite.emu.control("servicenow", "DELETE", "/_emulator/rate-limit");
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
    await suite.emu.control("servicenow", "POST", "/_emulator/oauth/revoke", { accessTokensOnly: true });
    const second = await post({ connectionId: oauth.id, type: "incident", findingIds: take(1).map((f) => f.id) });
    expect(second.status).toBe(201);
    // One renewal (refresh_token grant), not one per request.
    expect((await counted("POST", "/oauth_token.do")) - grantsBefore).toBe(1);
  });

  test("refused OAuth credentials: 502 with ServiceNow's refusal, nothing created", async () => {
    const wrong = await emulatorConnection(suite.emu.manifest, {
      authType: "oauth",
      oauthClientId: suite.emu.manifest.servicenow.oauthClientId,
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
    const res = await post({ connectionId: suite.connection.id, type: "incident", findingIds: findings.map((f) => f.id) });
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(await snCount(firstIncidentCorrelation(suite.connection, findings))).toBe(1);
  });

  test("a Retry-After longer than we wait: 202, the ticket request waits for it, nothing half-done", async () => {
    await fault("servicenow", { method: "POST", path: "/api/now/table/incident", kind: "status", status: 429, retryAfter: 600, times: 1 });
    const [finding] = take(1);
    const res = await post({ connectionId: suite.connection.id, type: "incident", findingIds: [finding!.id] });
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
    await suite.emu.control("servicenow", "PUT", "/_emulator/rate-limit", {
      limitPerHour: 1,
      users: [suite.emu.manifest.servicenow.username],
    });
    const [finding] = take(1);
    const limited = await post({ connectionId: suite.connection.id, type: "incident", findingIds: [finding!.id] });
    expect(limited.status).toBe(202);
    await suite.emu.control("servicenow", "DELETE", "/_emulator/rate-limit");
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
    const res = await post({ connectionId: suite.connection.id, type: "incident", findingIds: findings.map((f) => f.id) });
    expect(res.status).toBe(201);
    expect(await snCount(firstIncidentCorrelation(suite.connection, findings))).toBe(1);
  });

  test("a record the lost POST did create is found and linked, not created again", async () => {
    const findings = take(1);
    const correlationId = firstIncidentCorrelation(suite.connection, findings);
    // As if an earlier attempt's POST had reached ServiceNow and its answer had been lost.
    const created = await suite.emu.control<{ result: { number: string } }>("servicenow", "POST", "/_emulator/records/incident", {
      fields: { short_description: "created by a lost attempt", correlation_id: correlationId },
      user: suite.emu.manifest.servicenow.username,
    });
    const posts = await counted("POST", "/api/now/table/:table");
    const res = await post({ connectionId: suite.connection.id, type: "incident", findingIds: findings.map((f) => f.id) });
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
    const res = await post({ connectionId: suite.connection.id, type: "incident", findingIds: [finding!.id] });
    expect(res.status).toBe(201);
    const row = await db().governanceAssignment.findFirstOrThrow({ where: { findingId: finding!.id } });
    expect(row.azureState).toBe("error");
    expect(row.azureError).toBeTruthy();
    expect(row.ticketLink).toBe(governanceTicketLink(res.body.tickets[0]!.url, "incident", res.body.tickets[0]!.number));

    await suite.emu.control("arm", "DELETE", "/_emulator/faults");
    // The sync engine's governance phase retries it (lib/sync/governance-sync.ts).
    const { pushConnectionGovernance } = await import("@/lib/sync/governance-sync");
    const run = await db().syncRun.create({
      data: { kind: "servicenow_sync", trigger: "manual", status: "running", connectionId: suite.connection.id },
    });
    expect(await pushConnectionGovernance({ connectionId: suite.connection.id, runId: run.id })).toMatchObject({ failed: 0 });
    expect((await db().governanceAssignment.findFirstOrThrow({ where: { findingId: finding!.id } })).azureState).toBe("synced");
  });
});

// Last: moving the shared emulated clock also expires the ARM tokens MSAL has cached for governance.
describe("OAuth expiry", () => {
  test("an access token that expired on the instance's clock is refreshed transparently", async () => {
    const grantsBefore = await counted("POST", "/oauth_token.do");
    await suite.emu.control("servicenow", "POST", "/_emulator/clock", { advanceSeconds: 2 * 3600 });
    const res = await post({ connectionId: oauth.id, type: "incident", findingIds: take(1).map((f) => f.id) });
    expect(res.status).toBe(201);
    expect((await counted("POST", "/oauth_token.do")) - grantsBefore).toBe(1);
  });
});
