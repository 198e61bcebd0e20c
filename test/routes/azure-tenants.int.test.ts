// Azure tenant connections through the route handlers: admin-only changes, the write-only encrypted
// secret, the SSRF guard on both endpoints, "Test connection" with one clear message per failure
// (bad secret, unknown application, wrong tenant, no permission, TLS, throttling), subscription choice,
// manual sync (202, one queued run per tenant) and archiving that keeps findings and history.
import { readFileSync, mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { ensureCertificates } from "@/emulators/common/tls";
import { decryptSecret } from "@/lib/crypto/secrets";
import { emulatorTenantFields } from "@/lib/ingestion/testing/fixtures";
import { db } from "@/lib/db";
import { type TAzureTenantDto, type TAzureTestResult, type TSyncAccepted } from "@/lib/schemas/azure-tenants";
import { type TPage } from "@/lib/schemas/common";
import { closedPort } from "@/lib/tickets/testing";
import { call, callJson, roleCookies } from "@/test/app";
import { integrationSuite } from "@/test/integration";
import * as tenantsRoute from "@/app/api/azure-tenants/route";
import * as tenantRoute from "@/app/api/azure-tenants/[id]/route";
import * as testRoute from "@/app/api/azure-tenants/[id]/test/route";
import * as syncRoute from "@/app/api/azure-tenants/[id]/sync/route";

const suite = integrationSuite({ emulators: { seed: 5, size: "small" }, stopsBoss: true });
let admin: string;
let analyst: string;
let manager: string;
let untrusted: Server;

function draft(overrides: Record<string, unknown> = {}) {
  return { name: `Contoso ${Math.random().toString(36).slice(2, 8)}`, ...emulatorTenantFields(suite.emu.manifest), ...overrides };
}

const create = (body: unknown, cookie = admin) =>
  callJson<TAzureTenantDto>(tenantsRoute.POST, "POST", "/api/azure-tenants", { body, cookie });

async function runTest(id: string, cookie = analyst) {
  const res = await call(testRoute.POST, "POST", `/api/azure-tenants/${id}/test`, { params: { id }, cookie });
  return { status: res.status, body: (await res.json()) as TAzureTestResult };
}

async function archive(id: string) {
  const res = await call(tenantRoute.DELETE, "DELETE", `/api/azure-tenants/${id}`, { params: { id }, cookie: admin });
  expect(res.status).toBe(200);
}

const stepOf = (result: TAzureTestResult, id: string) => result.steps.find((s) => s.id === id);

beforeAll(async () => {
  ({ admin, analyst, manager } = await roleCookies());
  // An HTTPS server whose certificate comes from a CA nobody trusts (TLS failure).
  const certs = ensureCertificates(mkdtempSync(path.join(tmpdir(), "posturedesk-untrusted-")));
  untrusted = createServer({ cert: readFileSync(certs.certPath), key: readFileSync(certs.keyPath) }, (_req, res) => res.end("{}"));
  await new Promise<void>((resolve) => untrusted.listen(0, "127.0.0.1", resolve));
});

// A failed test must not leave an active connection behind (one per directory is allowed).
afterEach(async () => {
  await db().azureTenant.updateMany({ where: { deletedAt: null }, data: { deletedAt: new Date() } });
});

afterAll(async () => {
  untrusted?.close();
});

describe("create, read, change, archive", () => {
  test("an admin adds a connection: 201, the secret encrypted at rest and never returned, audited", async () => {
    const { status, text, body } = await create(draft({ name: "Contoso (emulator)" }));
    expect(status).toBe(201);
    expect(body).toMatchObject({
      name: "Contoso (emulator)",
      tenantId: suite.emu.manifest.tenantId,
      hasClientSecret: true,
      useResourceGraph: true,
      syncIntervalMinutes: 60,
      subscriptions: [],
      archivedAt: null,
    });
    expect(text).not.toContain(suite.emu.manifest.entra.armServicePrincipal.clientSecret);
    const row = await db().azureTenant.findUniqueOrThrow({ where: { id: body.id }, omit: { clientSecretEnc: false } });
    expect(row.clientSecretEnc).not.toContain(suite.emu.manifest.entra.armServicePrincipal.clientSecret);
    expect(decryptSecret(row.clientSecretEnc)).toBe(suite.emu.manifest.entra.armServicePrincipal.clientSecret);
    const entry = await db().auditLog.findFirstOrThrow({ where: { action: "connection.create", targetId: body.id } });
    expect(JSON.stringify(entry.after)).not.toContain(suite.emu.manifest.entra.armServicePrincipal.clientSecret);

    const list = await call(tenantsRoute.GET, "GET", "/api/azure-tenants", { cookie: analyst });
    const page = (await list.json()) as TPage<TAzureTenantDto>;
    expect(page.items.map((t) => t.id)).toContain(body.id);
    await archive(body.id);
  });

  test("bad input is a clear 4xx: analysts cannot add, bad GUIDs and http endpoints are refused, a second connection to the same directory conflicts", async () => {
    expect((await create(draft(), analyst)).status).toBe(403);
    expect((await create(draft(), manager)).status).toBe(403);
    const bad = await create(draft({ clientId: "not-a-guid", armEndpoint: "http://localhost:1" }));
    expect(bad.status).toBe(422);
    expect(bad.body.errors?.map((e) => e.path).sort()).toEqual(["body.armEndpoint", "body.clientId"]);
    expect((await create({ ...draft(), extra: true })).status).toBe(422);
    const noSecret = await create({ ...draft(), clientSecret: undefined });
    expect(noSecret.body.errors?.[0]?.path).toBe("body.clientSecret");

    const first = await create(draft());
    const second = await create(draft({ name: "Another name" }));
    expect(second.status).toBe(409);
    expect(second.body.detail).toMatch(/already connected as/);
    await archive(first.body.id);
  });

  test("private endpoints need the connection's own switch (SSRF guard): 422 naming the endpoint", async () => {
    const res = await create(draft({ allowPrivateNetwork: false }));
    expect(res.status).toBe(422);
    expect(res.body.detail).toMatch(/Entra ID authority host: localhost resolves to the private or loopback address/);
    const metadata = await create(draft({ allowPrivateNetwork: true, armEndpoint: "https://169.254.169.254" }));
    expect(metadata.status).toBe(422);
    expect(metadata.body.detail).toMatch(/link-local/);
  });

  test("cross-site requests are refused (Origin check)", async () => {
    const res = await call(tenantsRoute.POST, "POST", "/api/azure-tenants", {
      body: draft(),
      cookie: admin,
      origin: "https://evil.example",
    });
    expect(res.status).toBe(403);
  });
});

describe("test connection", () => {
  test("a working connection: token, subscriptions discovered and stored, Security Reader and Resource Graph ok", async () => {
    const { body } = await create(draft());
    const { status, body: result } = await runTest(body.id);
    expect(status).toBe(200);
    expect(result.isOk).toBe(true);
    expect(result.steps.map((s) => [s.id, s.status])).toEqual([
      ["address", "ok"],
      ["token", "ok"],
      ["subscriptions", "ok"],
      ["security-reader", "ok"],
      ["resource-graph", "ok"],
    ]);
    expect(result.subscriptions.map((s) => s.subscriptionId).sort()).toEqual([...suite.emu.manifest.arm.subscriptionIds].sort());
    const stored = await db().subscription.findMany({ where: { azureTenantId: body.id } });
    expect(stored.every((s) => s.included)).toBe(true);

    // Narrow the choice to one subscription; an unknown one is refused.
    const [keep, drop] = suite.emu.manifest.arm.subscriptionIds;
    const narrowed = await call(tenantRoute.PATCH, "PATCH", `/api/azure-tenants/${body.id}`, {
      params: { id: body.id },
      body: { includedSubscriptionIds: [keep] },
      cookie: admin,
    });
    const dto = (await narrowed.json()) as TAzureTenantDto;
    expect(dto.subscriptions.find((s) => s.subscriptionId === keep)?.isIncluded).toBe(true);
    expect(dto.subscriptions.find((s) => s.subscriptionId === drop)?.isIncluded).toBe(false);
    const unknown = await call(tenantRoute.PATCH, "PATCH", `/api/azure-tenants/${body.id}`, {
      params: { id: body.id },
      body: { includedSubscriptionIds: ["00000000-0000-4000-8000-00000000abcd"] },
      cookie: admin,
    });
    expect(unknown.status).toBe(422);
    await archive(body.id);
  });

  test.each([
    ["a wrong secret", () => ({ clientSecret: "wrong-secret" }), "token", /refused the client secret .*AADSTS7000215/],
    [
      "an unknown application",
      () => ({ clientId: "11111111-2222-4333-8444-555555555555" }),
      "token",
      /is not registered in directory .*AADSTS700016/,
    ],
    ["a wrong tenant", () => ({ tenantId: "99999999-2222-4333-8444-555555555555" }), "token", /was not found at .*AADSTS90002/],
    [
      "a principal without any role",
      () => ({
        clientId: suite.emu.manifest.entra.noAccessServicePrincipal.clientId,
        clientSecret: suite.emu.manifest.entra.noAccessServicePrincipal.clientSecret,
      }),
      "subscriptions",
      /sees no subscription/,
    ],
    [
      "an endpoint nothing listens on",
      async () => ({ armEndpoint: `https://localhost:${await closedPort()}` }),
      "subscriptions",
      /connection refused/,
    ],
    [
      "an untrusted certificate",
      () => ({ authorityHost: `https://localhost:${(untrusted.address() as { port: number }).port}` }),
      "token",
      /certificate .* is not trusted/,
    ],
  ])("%s fails the step that shows it, with a message saying what to fix", async (_label, overrides, stepId, message) => {
    const { body } = await create(draft(await overrides()));
    const { status, body: result } = await runTest(body.id);
    expect(status).toBe(200);
    expect(result.isOk).toBe(false);
    expect(stepOf(result, stepId)).toMatchObject({ status: "failed", message: expect.stringMatching(message) });
    expect(result.steps.at(-1)!.id).toBe(stepId);
    expect(JSON.stringify(result)).not.toContain(suite.emu.manifest.entra.armServicePrincipal.clientSecret);
    await archive(body.id);
  });

  test("throttling (429 without Retry-After) and a subscription without Security Reader are told apart", async () => {
    const { body } = await create(draft());
    const [first] = suite.emu.manifest.arm.subscriptionIds;
    await suite.emu.control("arm", "POST", "/_emulator/faults", {
      path: `/subscriptions/${first}/providers/Microsoft.Security/assessments`,
      kind: "status",
      status: 403,
      times: 1,
    });
    const forbidden = await runTest(body.id);
    expect(stepOf(forbidden.body, "security-reader")).toMatchObject({
      status: "failed",
      message: expect.stringMatching(new RegExp(`No permission .* in ${first}.*Security Reader`)),
    });

    await suite.emu.control("arm", "POST", "/_emulator/faults", { path: "/subscriptions", kind: "status", status: 429 });
    const throttled = await runTest(body.id);
    expect(stepOf(throttled.body, "subscriptions")).toMatchObject({ status: "failed", message: expect.stringMatching(/throttling/) });
    await suite.emu.control("arm", "DELETE", "/_emulator/faults");
    await archive(body.id);
  });
});

describe("sync and archive", () => {
  test("POST …/sync queues one run per tenant (202; a second request answers the queued run); DELETE archives, cancels it and keeps the history", async () => {
    const { body } = await create(draft());
    const first = await call(syncRoute.POST, "POST", `/api/azure-tenants/${body.id}/sync`, {
      params: { id: body.id },
      query: { mode: "incremental" },
      cookie: analyst,
    });
    expect(first.status).toBe(202);
    const accepted = (await first.json()) as TSyncAccepted;
    expect(accepted.isNew).toBe(true);
    const run = await db().syncRun.findUniqueOrThrow({ where: { id: accepted.runId } });
    expect(run).toMatchObject({
      kind: "defender_ingest",
      status: "queued",
      trigger: "manual",
      azureTenantId: body.id,
      counts: { defender: { mode: "incremental" } },
    });
    expect(run.jobId).not.toBeNull();
    const again = await call(syncRoute.POST, "POST", `/api/azure-tenants/${body.id}/sync`, { params: { id: body.id }, cookie: analyst });
    expect(await again.json()).toEqual({ runId: accepted.runId, isNew: false });
    expect(await db().auditLog.count({ where: { action: "sync.request", targetId: body.id } })).toBe(1);

    expect(
      (await call(syncRoute.POST, "POST", `/api/azure-tenants/${body.id}/sync`, { params: { id: body.id }, cookie: manager })).status,
    ).toBe(403);
    expect(
      (
        await call(syncRoute.POST, "POST", `/api/azure-tenants/${body.id}/sync`, {
          params: { id: body.id },
          query: { mode: "sometimes" },
          cookie: analyst,
        })
      ).status,
    ).toBe(422);

    await archive(body.id);
    const archived = await db().azureTenant.findUniqueOrThrow({ where: { id: body.id }, omit: { clientSecretEnc: false } });
    expect(archived.deletedAt).not.toBeNull();
    expect(archived.clientSecretEnc).toBe("");
    expect((await db().syncRun.findUniqueOrThrow({ where: { id: accepted.runId } })).status).toBe("canceled");
    const refused = await call(syncRoute.POST, "POST", `/api/azure-tenants/${body.id}/sync`, { params: { id: body.id }, cookie: analyst });
    expect(refused.status).toBe(409);
    const patch = await call(tenantRoute.PATCH, "PATCH", `/api/azure-tenants/${body.id}`, {
      params: { id: body.id },
      body: { name: "x" },
      cookie: admin,
    });
    expect(patch.status).toBe(409);
    const missing = await call(tenantRoute.GET, "GET", "/api/azure-tenants/00000000-0000-4000-8000-000000000000", {
      params: { id: "00000000-0000-4000-8000-000000000000" },
      cookie: analyst,
    });
    expect(missing.status).toBe(404);
  });
});
