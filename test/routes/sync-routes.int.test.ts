// The sync engine's HTTP surface through the real route handlers: the ServiceNow webhook (HMAC,
// replay window, bad inputs → clear 4xx) end to end with the emulator's outbound notification, and
// "Run now" / sync status on a connection.
import { beforeAll, describe, expect, test } from "vitest";
import * as webhookRoute from "@/app/api/webhooks/servicenow/[connectionId]/route";
import * as syncRoute from "@/app/api/connections/[id]/sync/route";
import { SYSTEM_ACTOR } from "@/lib/audit/audit";
import { archiveConnection } from "@/lib/connections/service";
import { db } from "@/lib/db";
import { call, signedInUser } from "@/test/app";
import { syncWorldSuite } from "@/test/integration";
import { type TConnectionSyncStatus, type TRunSyncResponse, type TWebhookResponse } from "@/lib/sync/schemas";
import { signWebhookBody } from "@/lib/sync/signature";
import { runQueued, startWebhookReceiver, ticketFor } from "@/lib/sync/testing";

const SECRET = "webhook-secret-for-the-route-tests-0123456789";

const suite = syncWorldSuite({ connection: { webhookSecret: SECRET }, timeoutMs: 120_000 });
let analyst: string;
let manager: string;
let next = 0;
const take = () => suite.world.unhealthy[next++]!;

function signed(body: string, options: { secret?: string; timestamp?: number; signature?: string } = {}) {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  return {
    "x-posturedesk-timestamp": timestamp,
    "x-posturedesk-signature": options.signature ?? signWebhookBody(options.secret ?? SECRET, timestamp, body),
    "content-type": "application/json",
  };
}

async function deliver(connectionId: string, body: string, headers: Record<string, string>) {
  const res = await call(webhookRoute.POST, "POST", `/api/webhooks/servicenow/${connectionId}`, {
    params: { connectionId },
    rawBody: body,
    headers,
    origin: null,
  });
  return { status: res.status, body: (await res.json()) as TWebhookResponse & { detail?: string; code?: string } };
}

beforeAll(async () => {
  analyst = (await signedInUser("ANALYST")).cookie;
  manager = (await signedInUser("MANAGER")).cookie;
}, 120_000);

describe("POST /api/webhooks/servicenow/{connectionId}", () => {
  test("a signed notification of a tracked ticket queues one targeted run (202); repeats coalesce; the run updates the ticket", async () => {
    const f = take();
    const ticket = await ticketFor({ connectionId: suite.world.connection.id, type: "incident", findingIds: [f.id] });
    await suite.sn.changeAsUser("incident", ticket.sysId, { state: "2" });
    const body = JSON.stringify({ table: "incident", sys_id: ticket.sysId, number: ticket.number, state: "2" });
    const first = await deliver(suite.world.connection.id, body, signed(body));
    expect(first.status).toBe(202);
    expect(first.body.status).toBe("queued");
    // Another notification of the same record (a new timestamp, so a new signature) coalesces.
    const second = await deliver(suite.world.connection.id, body, signed(body, { timestamp: Math.floor(Date.now() / 1000) + 1 }));
    expect(second.body.runId).toBe(first.body.runId);
    const run = await db().syncRun.findUniqueOrThrow({ where: { id: first.body.runId! } });
    expect([run.kind, run.trigger, run.status, run.targetTable, run.targetSysId]).toEqual([
      "targeted_sync",
      "webhook",
      "queued",
      "incident",
      ticket.sysId,
    ]);
    expect((await db().serviceNowConnection.findUniqueOrThrow({ where: { id: suite.world.connection.id } })).lastWebhookAt).not.toBeNull();

    await runQueued(suite.world.connection.id);
    const done = await db().syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(done.status, done.error ?? "").toBe("succeeded");
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).rawState).toBe("2");
  });

  test("refusals: bad or missing signature, other secret, stale or future timestamp, unknown connection or none configured: all the same 401; bad body (400/422); untracked record (200, ignored)", async () => {
    const body = JSON.stringify({ table: "incident", sys_id: "0123456789abcdef0123456789abcdef" });
    const id = suite.world.connection.id;
    const refusals = [
      await deliver(id, body, { "content-type": "application/json" }),
      await deliver(id, body, signed(body, { secret: "another secret" })),
      await deliver(id, body, signed(body, { signature: "sha256=zz" })),
      await deliver(id, body, signed(body, { timestamp: Math.floor(Date.now() / 1000) - 301 })),
      await deliver(id, body, signed(body, { timestamp: Math.floor(Date.now() / 1000) + 301 })),
      // More than 60 s ahead of our clock, although inside the 5-minute window.
      await deliver(id, body, signed(body, { timestamp: Math.floor(Date.now() / 1000) + 90 })),
      // A body changed after signing (same headers) is refused.
      await deliver(id, body.replace("incident", "problem"), signed(body)),
      await deliver(id, body, signed(body, { timestamp: 1_000_000 })),
      // Unknown connection and a connection without a webhook secret: the same answer as a bad signature.
      await deliver(crypto.randomUUID(), body, signed(body)),
      await deliver(await syncWorldConnectionWithoutSecret(), body, signed(body)),
    ];
    for (const r of refusals) {
      expect(r.status).toBe(401);
      expect({ code: r.body.code, detail: r.body.detail }).toEqual({
        code: "UNAUTHENTICATED",
        detail: "Webhook refused: the notification could not be verified",
      });
    }
    expect(
      (
        await call(webhookRoute.POST, "POST", "/api/webhooks/servicenow/not-a-uuid", {
          params: { connectionId: "not-a-uuid" },
          rawBody: body,
          headers: signed(body),
          origin: null,
        })
      ).status,
    ).toBe(422);

    expect((await deliver(id, "{not json", signed("{not json"))).status).toBe(400);
    const bad = JSON.stringify({ table: "sys_user", sys_id: "x" });
    const invalid = await deliver(id, bad, signed(bad));
    expect(invalid.status).toBe(422);
    const ignored = await deliver(id, body, signed(body));
    expect(ignored.status).toBe(200);
    expect(ignored.body).toMatchObject({ status: "ignored", runId: null });
    expect(await db().syncRun.count({ where: { kind: "targeted_sync", targetSysId: "0123456789abcdef0123456789abcdef" } })).toBe(0);
  });

  test("a replayed signature is refused inside the window, also when another instance saw it first (PostgreSQL)", async () => {
    const f = take();
    const ticket = await ticketFor({ connectionId: suite.world.connection.id, type: "incident", findingIds: [f.id] });
    const body = JSON.stringify({ table: "incident", sys_id: ticket.sysId });
    const headers = signed(body, { timestamp: Math.floor(Date.now() / 1000) - 5 });
    expect((await deliver(suite.world.connection.id, body, headers)).status).toBe(202);
    const replay = await deliver(suite.world.connection.id, body, headers);
    expect(replay.status).toBe(401);
    expect(replay.body.detail).toBe("Webhook refused: the notification could not be verified");
    // The same MAC spelled in base64 is the same notification.
    const hex = headers["x-posturedesk-signature"].slice(7);
    const base64 = await deliver(suite.world.connection.id, body, {
      ...headers,
      "x-posturedesk-signature": `sha256=${Buffer.from(hex, "hex").toString("base64")}`,
    });
    expect(base64.status).toBe(401);
    // What is remembered lives in the database, shared by every instance; rows older than the window go.
    expect(await db().webhookReplay.count({ where: { connectionId: suite.world.connection.id } })).toBeGreaterThan(0);
    await db().webhookReplay.create({
      data: { connectionId: suite.world.connection.id, signature: "old", seenAt: new Date(Date.now() - 3600_000) },
    });
    const fresh = signed(body, { timestamp: Math.floor(Date.now() / 1000) - 4 });
    expect((await deliver(suite.world.connection.id, body, fresh)).status).toBe(202);
    expect(await db().webhookReplay.count({ where: { signature: "old" } })).toBe(0);
  });

  test("unknown and known connections answer alike in time as well (median within 25 ms)", async () => {
    const body = JSON.stringify({ table: "incident", sys_id: "0123456789abcdef0123456789abcdef" });
    const median = async (id: string) => {
      const times: number[] = [];
      for (let i = 0; i < 15; i++) {
        const t = performance.now();
        await deliver(id, body, signed(body, { secret: "wrong" }));
        times.push(performance.now() - t);
      }
      return times.sort((a, b) => a - b)[7]!;
    };
    const known = await median(suite.world.connection.id);
    const unknown = await median(crypto.randomUUID());
    expect(Math.abs(known - unknown)).toBeLessThan(25);
  });

  test("end to end: a close in ServiceNow reaches the dashboard through the emulator's business rule and the webhook", async () => {
    const f = take();
    const ticket = await ticketFor({ connectionId: suite.world.connection.id, type: "incident", findingIds: [f.id] });
    const answers: number[] = [];
    const receiver = await startWebhookReceiver(webhookRoute.POST, (status) => answers.push(status));
    try {
      const configured = await suite.emu.control("servicenow", "PUT", "/_emulator/webhook", {
        url: receiver.url(suite.world.connection.id),
        secret: SECRET,
        tables: ["incident"],
      });
      expect(configured.status).toBe(200);
      const started = Date.now();
      await suite.sn.changeAsUser("incident", ticket.sysId, {
        state: "7",
        close_code: "Solution provided",
        close_notes: "Closed by the service desk",
      });
      while (answers.length === 0 && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 20));
      expect(answers).toEqual([202]);
      await runQueued(suite.world.connection.id);
      const row = await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
      expect(row.state).toBe("closed");
      // Still unhealthy in Defender: the targeted run flags it at once.
      expect(row.isDrift).toBe(true);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await suite.emu.control("servicenow", "DELETE", "/_emulator/webhook");
      await receiver.stop();
    }
  });
});

describe("demo bootstrap (lib/demo/sync.ts)", () => {
  test("gives the demo connection a webhook secret once and points the emulator's business rule at the app with it", async () => {
    const { bootstrapSyncDemo } = await import("@/lib/demo/sync");
    const connectionId = await syncWorldConnectionWithoutSecret();
    await db().appSetting.upsert({
      where: { key: "demo.servicenow.connectionId" },
      create: { key: "demo.servicenow.connectionId", value: connectionId },
      update: { value: connectionId },
    });
    try {
      const summary = await bootstrapSyncDemo(suite.emu.manifest, { appUrl: "http://localhost:3999" });
      expect(summary).toContain(`http://localhost:3999/api/webhooks/servicenow/${connectionId}`);
      const sealed = (await db().serviceNowConnection.findUniqueOrThrow({ where: { id: connectionId }, omit: { webhookSecretEnc: false } }))
        .webhookSecretEnc;
      expect(sealed).toBeTruthy();
      const configured = await suite.emu.control<{ webhook: { url: string; tables: string[] } }>("servicenow", "GET", "/_emulator/webhook");
      expect(configured.body.webhook).toMatchObject({
        url: `http://localhost:3999/api/webhooks/servicenow/${connectionId}`,
        tables: ["incident", "problem", "change_request"],
      });
      // Again (a restart): same secret, emulator told again.
      await bootstrapSyncDemo(suite.emu.manifest, { appUrl: "http://localhost:3999" });
      expect(
        (await db().serviceNowConnection.findUniqueOrThrow({ where: { id: connectionId }, omit: { webhookSecretEnc: false } }))
          .webhookSecretEnc,
      ).toBe(sealed);
      // A delivery the emulator signs verifies with the stored secret.
      const f = suite.world.unhealthy[40]!;
      const ticket = await ticketFor({ connectionId, type: "incident", findingIds: [f.id] });
      await suite.emu.control("servicenow", "DELETE", "/_emulator/webhook/deliveries");
      await suite.sn.changeAsUser("incident", ticket.sysId, { state: "2" });
      const { decryptSecret } = await import("@/lib/crypto/secrets");
      const { verifyWebhookSignature } = await import("@/lib/sync/signature");
      let deliveries: Array<{ body: string; timestamp: string; signature: string }> = [];
      for (let i = 0; i < 50 && deliveries.length === 0; i++) {
        deliveries =
          (await suite.emu.control<{ value: typeof deliveries }>("servicenow", "GET", "/_emulator/webhook/deliveries")).body.value ?? [];
        if (!deliveries.length) await new Promise((r) => setTimeout(r, 50));
      }
      expect(deliveries.length).toBeGreaterThan(0);
      const d = deliveries[0]!;
      expect(
        verifyWebhookSignature({ secret: decryptSecret(sealed!), timestamp: d.timestamp, signature: d.signature, body: d.body }),
      ).toEqual({ isValid: true });
    } finally {
      await suite.emu.control("servicenow", "DELETE", "/_emulator/webhook");
    }
  });
});

async function syncWorldConnectionWithoutSecret(): Promise<string> {
  const { emulatorConnection } = await import("@/lib/tickets/testing");
  return (await emulatorConnection(suite.emu.manifest)).id;
}

describe("POST|GET /api/connections/{id}/sync", () => {
  test("Run now queues a run (202) and a double click answers the same run; the status shows it", async () => {
    const path = `/api/connections/${suite.world.connection.id}/sync`;
    const params = { id: suite.world.connection.id };
    const first = await call(syncRoute.POST, "POST", path, { params, cookie: analyst });
    expect(first.status).toBe(202);
    const a = (await first.json()) as TRunSyncResponse;
    expect(a.isNew).toBe(true);
    const b = (await (await call(syncRoute.POST, "POST", path, { params, cookie: analyst })).json()) as TRunSyncResponse;
    expect(b).toEqual({ runId: a.runId, isNew: false });
    const run = await db().syncRun.findUniqueOrThrow({ where: { id: a.runId } });
    expect([run.kind, run.trigger, run.status]).toEqual(["servicenow_sync", "manual", "queued"]);
    expect(await db().auditLog.count({ where: { action: "connection.sync", targetId: suite.world.connection.id } })).toBe(1);

    const status = (await (await call(syncRoute.GET, "GET", path, { params, cookie: analyst })).json()) as TConnectionSyncStatus;
    expect(status.activeRun?.id).toBe(a.runId);
    expect(status.webhook).toMatchObject({
      isConfigured: true,
      url: `http://localhost:3000/api/webhooks/servicenow/${suite.world.connection.id}`,
    });
    expect(JSON.stringify(status)).not.toContain(SECRET);

    await runQueued(suite.world.connection.id);
    const after = (await (await call(syncRoute.GET, "GET", path, { params, cookie: analyst })).json()) as TConnectionSyncStatus;
    expect(after.activeRun).toBeNull();
    expect(after.lastRun).toMatchObject({ id: a.runId, status: "succeeded" });
    expect(after.lastSyncAt).not.toBeNull();
  });

  test("bad requests: unknown mode (422), unknown connection (404), archived connection (409), manager (403)", async () => {
    const params = { id: suite.world.connection.id };
    const path = `/api/connections/${suite.world.connection.id}/sync`;
    expect((await call(syncRoute.POST, "POST", path, { params, cookie: analyst, query: { mode: "everything" } })).status).toBe(422);
    const unknown = crypto.randomUUID();
    expect(
      (await call(syncRoute.POST, "POST", `/api/connections/${unknown}/sync`, { params: { id: unknown }, cookie: analyst })).status,
    ).toBe(404);
    expect(
      (await call(syncRoute.GET, "GET", `/api/connections/${unknown}/sync`, { params: { id: unknown }, cookie: analyst })).status,
    ).toBe(404);
    expect((await call(syncRoute.POST, "POST", path, { params, cookie: manager })).status).toBe(403);
    const archived = await syncWorldConnectionWithoutSecret();
    await archiveConnection(SYSTEM_ACTOR, archived);
    expect(
      (await call(syncRoute.POST, "POST", `/api/connections/${archived}/sync`, { params: { id: archived }, cookie: analyst })).status,
    ).toBe(409);
  });
});
