// /api/sync-runs against a real PostgreSQL: the run list with its filters, one run with progress and
// failed items, its events (paged, filtered, with ticket and finding links), the streamed CSV export,
// and "Retry failed items". Runs and events are written here as the sync engine writes them.
import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { type Prisma } from "@/lib/generated/prisma/client";
import { type TPage } from "@/lib/schemas/common";
import { type TSyncEventDto, type TSyncRunDetail, type TSyncRunDto } from "@/lib/schemas/sync-runs";
import { createFindings, createPlainConnection, createRecommendations, createTenant, ticketFindings } from "@/lib/rules/testing";
import { apiTokenFor, call, signedInUser } from "@/test/app";
import { integrationSuite } from "@/test/integration";
import * as runsRoute from "@/app/api/sync-runs/route";
import * as runRoute from "@/app/api/sync-runs/[id]/route";
import * as eventsRoute from "@/app/api/sync-runs/[id]/events/route";
import * as csvRoute from "@/app/api/sync-runs/[id]/events.csv/route";
import * as retryRoute from "@/app/api/sync-runs/[id]/retry/route";

integrationSuite({ emulators: "none", stopsBoss: true });
let manager: string;
let analyst: { cookie: string; id: string; name: string };
let connectionId: string;
let otherConnectionId: string;
let tenantId: string;

async function get<T>(
  handler: Parameters<typeof call>[0],
  path: string,
  options: { params?: Record<string, string>; query?: Record<string, string | string[]> } = {},
) {
  const res = await call(handler, "GET", path, { ...options, cookie: manager });
  return {
    status: res.status,
    headers: res.headers,
    body: (res.headers.get("content-type")?.includes("json") ? await res.json() : await res.text()) as T,
  };
}

async function run(data: Partial<Prisma.SyncRunUncheckedCreateInput> = {}) {
  return db().syncRun.create({ data: { kind: "servicenow_sync", trigger: "schedule", status: "succeeded", connectionId, ...data } });
}

beforeAll(async () => {
  manager = (await signedInUser("MANAGER")).cookie;
  const a = await signedInUser("ANALYST", "Ari Analyst");
  analyst = { cookie: a.cookie, id: a.id, name: a.name };
  connectionId = await createPlainConnection();
  otherConnectionId = await createPlainConnection();
  tenantId = await createTenant("History tenant");
});
describe("GET /api/sync-runs", () => {
  test("lists runs newest first with names, progress, duration and counts; filters combine", async () => {
    const rule = await db().automationRule.create({ data: { name: "Auto", priority: 1, connectionId, conditions: {} } });
    const t0 = Date.parse("2026-11-20T10:00:00Z");
    const old = await run({
      queuedAt: new Date(t0),
      startedAt: new Date(t0 + 1000),
      finishedAt: new Date(t0 + 61_000),
      status: "partial",
      trigger: "manual",
      requestedByType: "user",
      requestedById: analyst.id,
      counts: { created: 2, rules: { created: 2, planned: 3 }, mode: "incremental" },
    });
    const running = await run({
      queuedAt: new Date(t0 + 86_400_000),
      startedAt: new Date(),
      status: "running",
      progressDone: 25,
      progressTotal: 100,
      phase: "reconcile",
      trigger: "rule",
      requestedByType: "rule",
      requestedById: rule.id,
    });
    const tenantRun = await db().syncRun.create({
      data: {
        kind: "defender_ingest",
        trigger: "startup",
        status: "failed",
        azureTenantId: tenantId,
        queuedAt: new Date(t0 + 2 * 86_400_000),
        requestedByType: "system",
        error: "Azure refused the credentials",
      },
    });
    await run({ connectionId: otherConnectionId, queuedAt: new Date(t0 + 3 * 86_400_000) });

    const all = await get<TPage<TSyncRunDto>>(runsRoute.GET, "/api/sync-runs", { query: { from: "2026-11-20", to: "2026-11-22" } });
    expect(all.status).toBe(200);
    expect(all.body.items.map((r) => r.id)).toEqual([tenantRun.id, running.id, old.id]);
    const [t, r, o] = all.body.items;
    expect(o).toMatchObject({
      status: "partial",
      trigger: "manual",
      durationMs: 60_000,
      isFinished: true,
      counts: { created: 2, "rules.created": 2, "rules.planned": 3 },
      requestedBy: { type: "user", name: "Ari Analyst" },
    });
    expect(o!.connection).toMatchObject({ id: connectionId });
    expect(r).toMatchObject({
      status: "running",
      phase: "reconcile",
      progress: { done: 25, total: 100, percent: 25 },
      isFinished: false,
      requestedBy: { type: "rule", name: 'Rule "Auto"' },
    });
    expect(r!.durationMs).toBeGreaterThanOrEqual(0);
    expect(t).toMatchObject({
      kind: "defender_ingest",
      connection: null,
      azureTenant: { id: tenantId, name: "History tenant" },
      error: "Azure refused the credentials",
      requestedBy: { type: "system", name: "PostureDesk" },
      durationMs: null,
    });

    const filtered = await get<TPage<TSyncRunDto>>(runsRoute.GET, "/api/sync-runs", {
      query: { connectionId, status: "running,partial", trigger: ["manual", "rule"] },
    });
    expect(filtered.body.items.map((x) => x.id)).toEqual([running.id, old.id]);
    const onlyPartial = await get<TPage<TSyncRunDto>>(runsRoute.GET, "/api/sync-runs", { query: { connectionId, status: "partial" } });
    expect(onlyPartial.body).toMatchObject({ total: 1, page: 1, pageSize: 50 });
    const paged = await get<TPage<TSyncRunDto>>(runsRoute.GET, "/api/sync-runs", { query: { pageSize: "2", page: "2" } });
    expect(paged.body.items).toHaveLength(2);
    expect(paged.body.total).toBe(4);
  });

  test("refuses bad filters with 422", async () => {
    const cases: Array<Record<string, string>> = [
      { status: "exploded" },
      { connectionId: "nope" },
      { pageSize: "501" },
      { from: "yesterday" },
    ];
    for (const query of cases) {
      expect((await get(runsRoute.GET, "/api/sync-runs", { query })).status, JSON.stringify(query)).toBe(422);
    }
  });
});

describe("GET /api/sync-runs/{id} and /events", () => {
  let runId: string;
  let ticketId: string;
  let findingIds: string[];

  beforeAll(async () => {
    await createRecommendations([{ key: "hist-rec-1", displayName: "Disks should be encrypted", severity: "High", categories: [] }]);
    findingIds = await createFindings(tenantId, [
      { recommendationKey: "hist-rec-1", resourceName: "vm-web-01" },
      { recommendationKey: "hist-rec-1", resourceName: "vm-web-02" },
    ]);
    ticketId = await ticketFindings(connectionId, findingIds);
    const r = await run({
      status: "partial",
      startedAt: new Date(Date.now() - 5000),
      finishedAt: new Date(),
      progressDone: 7,
      progressTotal: 10,
    });
    runId = r.id;
    await db().syncEvent.createMany({
      data: [
        {
          runId,
          action: "created",
          entityType: "ticket",
          entityId: "INC0000001",
          ticketId,
          after: { number: "INC0000001", state: "1" },
          message: 'INC0000001 created by rule "Auto" for 2 finding(s)',
        },
        {
          runId,
          action: "updated",
          entityType: "ticket",
          entityId: "INC0000001",
          ticketId,
          before: { state: "1", assignedTo: null },
          after: { state: "2", assignedTo: "Ada" },
          message: "State New → In Progress, assigned to Ada",
        },
        {
          runId,
          action: "resolved",
          entityType: "ticket",
          entityId: "INC0000001",
          ticketId,
          findingId: findingIds[0],
          message: "Resolved: every finding healthy",
        },
        {
          runId,
          action: "error",
          entityType: "rule",
          entityId: "r1",
          message: 'Rule "Auto" could not create its ticket: Unknown assignment group "Nope"',
          isRetryable: true,
        },
        {
          runId,
          action: "error",
          entityType: "servicenow_record",
          entityId: "abc",
          message: "=cmd|' /C calc'!A0, \"quoted\"\nsecond line",
          isRetryable: false,
        },
      ],
    });
    await db().syncRetryItem.create({
      data: {
        scope: `connection:${connectionId}`,
        entityType: "rule_ticket",
        entityId: "r1:finding:x",
        lastError: "Unknown assignment group",
        lastRunId: runId,
      },
    });
  });

  test("a run with its progress, event tallies and failed items", async () => {
    const res = await get<TSyncRunDetail>(runRoute.GET, `/api/sync-runs/${runId}`, { params: { id: runId } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: runId,
      status: "partial",
      progress: { done: 7, total: 10, percent: 70 },
      eventCounts: { created: 1, updated: 1, resolved: 1, error: 2 },
      errors: 2,
      retryableErrors: 1,
      pendingRetries: 1,
      canRetry: true,
    });
    const listed = await get<TPage<TSyncRunDto>>(runsRoute.GET, "/api/sync-runs", {
      query: { connectionId, status: "partial", pageSize: "500" },
    });
    expect(listed.body.items.find((r) => r.id === runId)?.eventCounts).toEqual({ created: 1, updated: 1, resolved: 1, error: 2 });
    expect((await get(runRoute.GET, "/api/sync-runs/x", { params: { id: "x" } })).status).toBe(422);
    const missing = crypto.randomUUID();
    expect((await get(runRoute.GET, `/api/sync-runs/${missing}`, { params: { id: missing } })).status).toBe(404);
  });

  test("events oldest first, paged, filtered by action and text, with the ticket and finding they name", async () => {
    const page1 = await get<TPage<TSyncEventDto>>(eventsRoute.GET, `/api/sync-runs/${runId}/events`, {
      params: { id: runId },
      query: { pageSize: "2" },
    });
    expect(page1.body.total).toBe(5);
    expect(page1.body.items.map((e) => e.action)).toEqual(["created", "updated"]);
    expect(page1.body.items[1]).toMatchObject({
      before: { state: "1" },
      after: { state: "2", assignedTo: "Ada" },
      ticket: { id: ticketId },
      finding: null,
    });
    const page3 = await get<TPage<TSyncEventDto>>(eventsRoute.GET, `/api/sync-runs/${runId}/events`, {
      params: { id: runId },
      query: { pageSize: "2", page: "3" },
    });
    expect(page3.body.items.map((e) => e.entityType)).toEqual(["servicenow_record"]);
    const resolved = await get<TPage<TSyncEventDto>>(eventsRoute.GET, `/api/sync-runs/${runId}/events`, {
      params: { id: runId },
      query: { action: "resolved" },
    });
    expect(resolved.body.items[0]).toMatchObject({
      finding: {
        id: findingIds[0],
        resourceName: "vm-web-01",
        recommendationKey: "hist-rec-1",
        recommendationName: "Disks should be encrypted",
      },
    });
    const errors = await get<TPage<TSyncEventDto>>(eventsRoute.GET, `/api/sync-runs/${runId}/events`, {
      params: { id: runId },
      query: { action: "error", q: "assignment GROUP" },
    });
    expect(errors.body.items.map((e) => e.entityId)).toEqual(["r1"]);
    const missing = crypto.randomUUID();
    expect((await get(eventsRoute.GET, `/api/sync-runs/${missing}/events`, { params: { id: missing } })).status).toBe(404);
    expect(
      (await get(eventsRoute.GET, `/api/sync-runs/${runId}/events`, { params: { id: runId }, query: { action: "exploded" } })).status,
    ).toBe(422);
  });

  test("CSV export: a file download with a header, RFC 4180 quoting and formula-safe cells, honouring filters", async () => {
    const res = await get<string>(csvRoute.GET, `/api/sync-runs/${runId}/events.csv`, { params: { id: runId } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="sync-run-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}-events\.csv"$/);
    const text = res.body.replace(/^\uFEFF/, "");
    const lines = text.split("\r\n");
    expect(lines[0]).toBe(
      "event_id,at,action,entity_type,entity_id,ticket_number,ticket_url,finding_id,resource,recommendation,message,before,after,retryable",
    );
    expect(lines.filter((l) => /^\d+,/.test(l))).toHaveLength(5);
    expect(text).toContain(`"'=cmd|' /C calc'!A0, ""quoted""\nsecond line"`);
    expect(text).toContain(`"{""state"":""1"",""assignedTo"":null}"`);
    expect(text).toContain(",vm-web-01,Disks should be encrypted,");
    const onlyErrors = await get<string>(csvRoute.GET, `/api/sync-runs/${runId}/events.csv`, {
      params: { id: runId },
      query: { action: "error" },
    });
    expect(onlyErrors.body.split("\r\n").filter((l) => /^\d+,/.test(l))).toHaveLength(2);
    const missing = crypto.randomUUID();
    expect((await get(csvRoute.GET, `/api/sync-runs/${missing}/events.csv`, { params: { id: missing } })).status).toBe(404);
  });

  test("CSV export streams runs larger than one page, every event once, in order", async () => {
    const big = await run();
    const n = 2_345;
    await db().syncEvent.createMany({
      data: Array.from({ length: n }, (_, i) => ({
        runId: big.id,
        action: "updated" as const,
        entityType: "ticket",
        entityId: `INC${i}`,
        message: `event ${i}`,
      })),
    });
    const token = await apiTokenFor("MANAGER");
    const res = await call(csvRoute.GET, "GET", `/api/sync-runs/${big.id}/events.csv`, { params: { id: big.id }, token });
    const rows = (await res.text()).split("\r\n").slice(1).filter(Boolean);
    expect(rows).toHaveLength(n);
    expect(rows.map((r) => r.split(",")[4])).toEqual(Array.from({ length: n }, (_, i) => `INC${i}`));
  });
});

describe("POST /api/sync-runs/{id}/retry", () => {
  const retry = async (id: string, cookie = analyst.cookie) => {
    const res = await call(retryRoute.POST, "POST", `/api/sync-runs/${id}/retry`, { params: { id }, cookie });
    return { status: res.status, body: (await res.json()) as { runId: string; isNew: boolean; detail?: string } };
  };

  test("queues a sync of the run's connection when the run has failed items; a second click answers the same run", async () => {
    const failed = await run({ status: "failed" });
    await db().syncEvent.create({
      data: { runId: failed.id, action: "error", entityType: "ticket", message: "ServiceNow answered 503", isRetryable: true },
    });
    const first = await retry(failed.id);
    expect(first.status).toBe(202);
    expect(first.body.isNew).toBe(true);
    const queued = await db().syncRun.findUniqueOrThrow({ where: { id: first.body.runId } });
    expect(queued).toMatchObject({ connectionId, status: "queued", trigger: "manual", requestedByType: "user", requestedById: analyst.id });
    const second = await retry(failed.id);
    expect(second.body).toEqual({ runId: first.body.runId, isNew: false });
    expect(await db().auditLog.count({ where: { action: "connection.sync", targetId: connectionId } })).toBe(1);
  });

  test("refuses runs that are still going, have nothing to retry, or are not a connection's (409), and managers (403)", async () => {
    const active = await run({ status: "running" });
    await db().syncEvent.create({ data: { runId: active.id, action: "error", entityType: "ticket", message: "x" } });
    const clean = await run({ status: "succeeded" });
    const tenantRun = await db().syncRun.create({
      data: { kind: "defender_ingest", trigger: "schedule", status: "partial", azureTenantId: tenantId },
    });
    await db().syncEvent.create({ data: { runId: tenantRun.id, action: "error", entityType: "assessment", message: "x" } });
    const before = await db().syncRun.count();
    expect((await retry(active.id)).status).toBe(409);
    expect((await retry(clean.id)).status).toBe(409);
    expect((await retry(tenantRun.id)).status).toBe(409);
    expect((await retry(crypto.randomUUID())).status).toBe(404);
    expect((await retry(active.id, manager)).status).toBe(403);
    expect(await db().syncRun.count()).toBe(before);
  });
});
