// ServiceNow connections through the route handlers: admin-only changes, write-only encrypted secrets,
// the SSRF guard on the instance URL, "Test connection" with one clear message per failure mode, and
// archiving that keeps tickets and history.
import { beforeAll, describe, expect, test } from "vitest";
import { decryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { type TPage } from "@/lib/schemas/common";
import { type TConnectionTestResult, type TServiceNowConnectionDto } from "@/lib/schemas/connections";
import { call, callJson, roleCookies } from "@/test/app";
import { integrationSuite } from "@/test/integration";
import * as connectionsRoute from "@/app/api/connections/route";
import * as connectionRoute from "@/app/api/connections/[id]/route";
import * as testRoute from "@/app/api/connections/[id]/test/route";
import * as usersRoute from "@/app/api/connections/[id]/users/route";
import * as groupsRoute from "@/app/api/connections/[id]/groups/route";
import { closedPort, emulatorConnectionFields } from "@/lib/tickets/testing";

const suite = integrationSuite();
let admin: string;
let analyst: string;
let manager: string;

const otherUser = (name: string) =>
  (suite.emu.manifest.servicenow as unknown as { otherUsers: Array<{ username: string; password: string }> }).otherUsers.find(
    (u) => u.username === name,
  )!;

function draft(overrides: Record<string, unknown> = {}) {
  return { name: `SN ${Math.random().toString(36).slice(2, 8)}`, ...emulatorConnectionFields(suite.emu.manifest), ...overrides };
}

const create = (body: unknown, cookie = admin) =>
  callJson<TServiceNowConnectionDto>(connectionsRoute.POST, "POST", "/api/connections", { body, cookie });

async function runTest(id: string, cookie = analyst) {
  const res = await call(testRoute.POST, "POST", `/api/connections/${id}/test`, { params: { id }, cookie });
  return { status: res.status, body: (await res.json()) as TConnectionTestResult };
}

const stepOf = (result: TConnectionTestResult, id: string) => result.steps.find((s) => s.id === id);

beforeAll(async () => {
  ({ admin, analyst, manager } = await roleCookies());
});

describe("create, read, change", () => {
  test("an admin adds an OAuth connection: 201, secrets encrypted at rest and never returned, audited", async () => {
    const sn = suite.emu.manifest.servicenow;
    const res = await create(
      draft({
        authType: "oauth",
        oauthClientId: sn.oauthClientId,
        oauthClientSecret: sn.oauthClientSecret,
        webhookSecret: "whsec-test-123",
        ccEnabled: true,
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      authType: "oauth",
      hasPassword: true,
      hasOauthClientSecret: true,
      hasWebhookSecret: true,
      itsmEnabled: true,
      ccEnabled: true,
      syncIntervalMinutes: 1440,
    });
    for (const secret of [sn.password, sn.oauthClientSecret, "whsec-test-123"]) expect(res.text).not.toContain(secret);
    const row = await db().serviceNowConnection.findUniqueOrThrow({
      where: { id: res.body.id },
      omit: { passwordEnc: false, oauthClientSecretEnc: false },
    });
    expect(row.passwordEnc).not.toContain(sn.password);
    expect(decryptSecret(row.passwordEnc)).toBe(sn.password);
    expect(decryptSecret(row.oauthClientSecretEnc!)).toBe(sn.oauthClientSecret);
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "connection.create", targetId: res.body.id } });
    for (const secret of [sn.password, sn.oauthClientSecret]) expect(JSON.stringify(audit.after)).not.toContain(secret);

    const listed = await call(connectionsRoute.GET, "GET", "/api/connections", { cookie: analyst });
    const page = (await listed.json()) as TPage<TServiceNowConnectionDto>;
    expect(page.items.map((c) => c.id)).toContain(res.body.id);
  });

  test("only admins change connections; managers cannot even read them", async () => {
    expect((await create(draft(), analyst)).status).toBe(403);
    expect((await call(connectionsRoute.GET, "GET", "/api/connections", { cookie: manager })).status).toBe(403);
    const created = await create(draft());
    const patch = await call(connectionRoute.PATCH, "PATCH", `/api/connections/${created.body.id}`, {
      params: { id: created.body.id },
      body: { name: "x" },
      cookie: analyst,
    });
    expect(patch.status).toBe(403);
  });

  test("invalid input: 422 naming each field (http URL, bad mapping, missing OAuth client, duplicate name 409)", async () => {
    const res = await create(
      draft({ instanceUrl: "http://example.com", severityMapping: { High: { impact: 4, urgency: 1, remediationDays: 30 } } }),
    );
    expect(res.status).toBe(422);
    const paths = res.body.errors!.map((e) => e.path);
    expect(paths).toContain("body.instanceUrl");
    expect(paths).toContain("body.severityMapping.High.impact");
    const oauth = await create(draft({ authType: "oauth" }));
    expect(oauth.status).toBe(422);
    expect(oauth.body.errors!.map((e) => e.path)).toEqual(["body.oauthClientId", "body.oauthClientSecret"]);
    const first = await create(draft({ name: "Duplicate me" }));
    expect(first.status).toBe(201);
    expect((await create(draft({ name: "duplicate ME" }))).status).toBe(409);
  });

  test("private addresses are refused unless the connection allows them (SSRF guard); link-local never", async () => {
    const refused = await create(draft({ allowPrivateNetwork: false }));
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain("private or loopback");
    const metadata = await create(draft({ instanceUrl: "https://169.254.169.254" }));
    expect(metadata.status).toBe(422);
    expect(metadata.body.detail).toContain("link-local");
  });

  test("PATCH keeps omitted secrets, replaces given ones, and resets the cached OAuth token", async () => {
    const created = await create(draft());
    await db().serviceNowConnection.update({ where: { id: created.body.id }, data: { oauthTokenEnc: "v1.stale" } });
    const res = await call(connectionRoute.PATCH, "PATCH", `/api/connections/${created.body.id}`, {
      params: { id: created.body.id },
      body: { name: "Renamed", password: "new-password", defaultAssignmentGroup: "Service Desk" },
      cookie: admin,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: "Renamed", defaultAssignmentGroup: "Service Desk", hasPassword: true });
    const row = await db().serviceNowConnection.findUniqueOrThrow({
      where: { id: created.body.id },
      omit: { passwordEnc: false, oauthTokenEnc: false },
    });
    expect(decryptSecret(row.passwordEnc)).toBe("new-password");
    expect(row.oauthTokenEnc).toBeNull();
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "connection.update", targetId: created.body.id } });
    expect(audit.after).toMatchObject({ secretsChanged: ["password"] });
    expect(JSON.stringify(audit.after)).not.toContain("new-password");
  });
});

describe("POST /api/connections/{id}/test", () => {
  test("a working connection with ITSM and CC: every step ok", async () => {
    const created = await create(draft({ ccEnabled: true, defaultAssignmentGroup: "Cloud Security Operations" }));
    const res = await runTest(created.body.id);
    expect(res.status).toBe(200);
    expect(res.body.steps.filter((s) => s.status !== "ok")).toEqual([]);
    expect(res.body.isOk).toBe(true);
    expect(stepOf(res.body, "sign-in")!.message).toContain("PostureDesk Integration");
    expect(stepOf(res.body, "table:sn_vulc_result")!.status).toBe("ok");
    expect(stepOf(res.body, "default-group")!.status).toBe("ok");
    expect((await runTest(created.body.id, manager)).status).toBe(403);
  });

  test("wrong password: the sign-in step says so and nothing else is tried", async () => {
    const created = await create(draft({ password: "wrong" }));
    const res = await runTest(created.body.id);
    expect(res.body.isOk).toBe(false);
    expect(res.body.steps.map((s) => s.id)).toEqual(["address", "sign-in"]);
    expect(stepOf(res.body, "sign-in")!.message).toContain("refused the user name or password");
  });

  test("wrong OAuth client secret: an OAuth-specific message", async () => {
    const sn = suite.emu.manifest.servicenow;
    const created = await create(draft({ authType: "oauth", oauthClientId: sn.oauthClientId, oauthClientSecret: "wrong" }));
    const res = await runTest(created.body.id);
    expect(stepOf(res.body, "sign-in")).toMatchObject({ status: "failed", message: expect.stringContaining("OAuth") });
  });

  test("an ITSM-only user on a connection with CC: the missing permissions are listed per table", async () => {
    const itsm = otherUser("posturedesk.itsm");
    const created = await create(draft({ username: itsm.username, password: itsm.password, ccEnabled: true }));
    const res = await runTest(created.body.id);
    expect(res.body.isOk).toBe(false);
    expect(stepOf(res.body, "table:incident")!.status).toBe("ok");
    expect(stepOf(res.body, "table:sn_vulc_result")).toMatchObject({
      status: "failed",
      message: expect.stringContaining("Missing permission"),
    });
  });

  test("instance down, unknown default group and caller: each reported", async () => {
    const down = await create(draft({ instanceUrl: `https://127.0.0.1:${await closedPort()}` }));
    const res = await runTest(down.body.id);
    expect(stepOf(res.body, "sign-in")).toMatchObject({ status: "failed", message: expect.stringContaining("connection refused") });
    const defaults = await create(draft({ defaultAssignmentGroup: "Nobody Team", defaultCallerId: "ghost@contoso.example" }));
    const checked = await runTest(defaults.body.id);
    expect(stepOf(checked.body, "default-group")).toMatchObject({ status: "failed", message: expect.stringContaining("Nobody Team") });
    expect(stepOf(checked.body, "default-caller")).toMatchObject({ status: "failed" });
  });
});

describe("directory pickers", () => {
  test("users and groups of the instance, searched by text", async () => {
    const created = await create(draft());
    const users = await call(usersRoute.GET, "GET", `/api/connections/${created.body.id}/users`, {
      params: { id: created.body.id },
      query: { q: "ari" },
      cookie: analyst,
    });
    expect(((await users.json()) as { items: Array<{ email: string }> }).items.map((u) => u.email)).toContain(
      "ari.analyst@contoso.example",
    );
    const groups = await call(groupsRoute.GET, "GET", `/api/connections/${created.body.id}/groups`, {
      params: { id: created.body.id },
      query: { q: "security" },
      cookie: analyst,
    });
    expect(((await groups.json()) as { items: Array<{ name: string }> }).items.map((g) => g.name)).toContain("Cloud Security Operations");
    // A caret is escaped (no query injection); a line break is refused before any query is built.
    const caret = await call(usersRoute.GET, "GET", `/api/connections/${created.body.id}/users`, {
      params: { id: created.body.id },
      query: { q: "x^NQactive=true" },
      cookie: analyst,
    });
    expect(((await caret.json()) as { items: unknown[] }).items).toEqual([]);
    const newline = await call(usersRoute.GET, "GET", `/api/connections/${created.body.id}/users`, {
      params: { id: created.body.id },
      query: { q: "a\nb" },
      cookie: analyst,
    });
    expect(newline.status).toBe(422);
  });
});

describe("DELETE /api/connections/{id}", () => {
  test("archives: credentials wiped, tickets kept, listed only with includeArchived, no longer changeable", async () => {
    const created = await create(draft());
    const ticket = await db().ticket.create({
      data: {
        connectionId: created.body.id,
        table: "incident",
        sysId: "a".repeat(32),
        number: "INC0999999",
        rawState: "1",
        state: "open",
        url: "https://x/nav",
        createdByType: "system",
      },
    });
    const res = await call(connectionRoute.DELETE, "DELETE", `/api/connections/${created.body.id}`, {
      params: { id: created.body.id },
      cookie: admin,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ archivedAt: expect.any(String), hasPassword: false, ticketCount: 1 });
    const row = await db().serviceNowConnection.findUniqueOrThrow({ where: { id: created.body.id }, omit: { passwordEnc: false } });
    expect(row.passwordEnc).toBe("");
    expect(await db().ticket.findUnique({ where: { id: ticket.id } })).not.toBeNull();

    const active = (await (
      await call(connectionsRoute.GET, "GET", "/api/connections", { cookie: analyst, query: { pageSize: "500" } })
    ).json()) as TPage<TServiceNowConnectionDto>;
    expect(active.items.map((c) => c.id)).not.toContain(created.body.id);
    const withArchived = (await (
      await call(connectionsRoute.GET, "GET", "/api/connections", { cookie: analyst, query: { includeArchived: "true", pageSize: "500" } })
    ).json()) as TPage<TServiceNowConnectionDto>;
    expect(withArchived.items.map((c) => c.id)).toContain(created.body.id);

    const patch = await call(connectionRoute.PATCH, "PATCH", `/api/connections/${created.body.id}`, {
      params: { id: created.body.id },
      body: { name: "back" },
      cookie: admin,
    });
    expect(patch.status).toBe(409);
    expect((await runTest(created.body.id)).status).toBe(409);
    expect(await db().auditLog.count({ where: { action: "connection.archive", targetId: created.body.id } })).toBe(1);
  });
});
