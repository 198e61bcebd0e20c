// The recommendations workspace API through the route handlers, on findings ingested from a private ARM
// emulator and tickets linked in this file's own database: counts, joins, every filter, sort and page,
// tickets side by side, summaries refreshed after ticket changes (triggers), and the bad paths.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { privateEmulators, type TestEmulators } from "@/emulators/common/testing";
import { db } from "@/lib/db";
import { runIngestJob } from "@/lib/ingestion/job";
import { newRun, registerEmulatorTenant } from "@/lib/ingestion/testing/fixtures";
import { type TPage } from "@/lib/schemas/common";
import { type TFindingDto } from "@/lib/schemas/findings";
import { type TRecommendationDetail, type TRecommendationRow } from "@/lib/schemas/recommendations";
import { linkTicket } from "@/lib/rules/testing";
import { call, configureTestEnv, signedInUser } from "@/test/app";
import { type BoundTestDatabase, useTestDatabase } from "@/test/db";
import * as findingsRoute from "@/app/api/findings/route";
import * as recommendationRoute from "@/app/api/recommendations/[key]/route";
import * as recommendationsRoute from "@/app/api/recommendations/route";

let database: BoundTestDatabase;
let emu: TestEmulators;
let analyst: string;
let manager: string;
let connectionId: string;

type Counts = { key: string; total: number; unhealthy: number; healthy: number; severity: string };

async function list(query: Record<string, string | string[]> = {}, cookie = analyst) {
  const res = await call(recommendationsRoute.GET, "GET", "/api/recommendations", { query, cookie });
  return {
    status: res.status,
    body: (await res.json()) as TPage<TRecommendationRow> & { detail?: string; errors?: Array<{ path: string }> },
  };
}

async function findings(query: Record<string, string | string[]> = {}) {
  const res = await call(findingsRoute.GET, "GET", "/api/findings", { query, cookie: analyst });
  return { status: res.status, body: (await res.json()) as TPage<TFindingDto> };
}

async function truth(where = ""): Promise<Counts[]> {
  return db().$queryRawUnsafe<Counts[]>(
    `SELECT f."recommendationKey" AS key, count(*)::int AS total, count(*) FILTER (WHERE status = 'Unhealthy')::int AS unhealthy,
       count(*) FILTER (WHERE status = 'Healthy')::int AS healthy, min(f.severity)::text AS severity
     FROM "Finding" f WHERE f."removedAt" IS NULL ${where} GROUP BY 1`,
  );
}

let ticketCounter = 0;
async function ticket(
  findingIds: string[],
  fields: { state?: "open" | "resolved" | "closed"; dueDate?: Date | null; assignedToName?: string; isDrift?: boolean } = {},
) {
  ticketCounter++;
  const number = `INC00${String(90000 + ticketCounter)}`;
  const t = await db().ticket.create({
    data: {
      connectionId,
      table: "incident",
      sysId: ticketCounter.toString(16).padStart(32, "0"),
      number,
      rawState: fields.state === "resolved" ? "6" : fields.state === "closed" ? "7" : "2",
      state: fields.state ?? "open",
      url: `https://example.service-now.com/incident.do?sys_id=${ticketCounter}`,
      createdByType: "system",
      dueDate: fields.dueDate ?? null,
      assignedToName: fields.assignedToName ?? null,
      isDrift: fields.isDrift ?? false,
    },
  });
  await linkTicket(t.id, connectionId, findingIds);
  return t;
}

beforeAll(async () => {
  database = await useTestDatabase();
  configureTestEnv(database.url);
  emu = await privateEmulators({ seed: 3, size: "small" });
  analyst = (await signedInUser("ANALYST")).cookie;
  manager = (await signedInUser("MANAGER")).cookie;
  const tenant = await registerEmulatorTenant(emu.manifest);
  const runId = await newRun(tenant.id);
  await runIngestJob({ runId, mode: "full" });
  const connection = await db().serviceNowConnection.create({
    data: {
      name: "SN",
      instanceUrl: "https://example.service-now.com",
      authType: "basic",
      username: "u",
      passwordEnc: "x",
      severityMapping: {},
    },
  });
  connectionId = connection.id;
});

afterAll(async () => {
  await emu?.stop();
  await database?.drop();
});

describe("GET /api/recommendations", () => {
  test("one row per recommendation with the findings' counts, most severe first; paging is server-side", async () => {
    const expected = await truth();
    const { status, body } = await list({ pageSize: "500" });
    expect(status).toBe(200);
    expect(body.total).toBe(expected.length);
    const byKey = new Map(body.items.map((r) => [r.key, r]));
    for (const e of expected)
      expect(byKey.get(e.key)).toMatchObject({ total: e.total, unhealthy: e.unhealthy, healthy: e.healthy, severity: e.severity });
    const ranks = body.items.map((r) => ({ High: 3, Medium: 2, Low: 1 })[r.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(body.items.every((r) => r.displayName.length > 0 && r.tickets.open === 0 && r.tickets.none === r.unhealthy)).toBe(true);

    const page2 = await list({ page: "2", pageSize: "5", sort: "name" });
    const all = await list({ pageSize: "500", sort: "name" });
    expect(page2.body.items.map((r) => r.key)).toEqual(all.body.items.slice(5, 10).map((r) => r.key));
    expect(page2.body).toMatchObject({ total: expected.length, page: 2, pageSize: 5 });
    const beyond = await list({ page: "99", pageSize: "5" });
    expect(beyond.body).toMatchObject({ items: [], total: expected.length });
  });

  test("filters: severity, status, subscription, resource type, category and search narrow the rows and their counts", async () => {
    const high = await list({ severity: "High", pageSize: "500" });
    expect(high.body.items.length).toBeGreaterThan(0);
    expect(high.body.items.every((r) => r.severity === "High")).toBe(true);
    expect(high.body.total).toBe((await truth(`AND f.severity = 'High'`)).length);

    const sub = emu.manifest.arm.subscriptionIds[0]!;
    const perSub = await list({ subscriptionId: sub.toUpperCase(), pageSize: "500" });
    const subTruth = await truth(`AND f."subscriptionId" = '${sub}'`);
    expect(perSub.body.total).toBe(subTruth.length);
    expect(perSub.body.items.reduce((n, r) => n + r.total, 0)).toBe(subTruth.reduce((n, r) => n + r.total, 0));

    const type = (await db().finding.findFirstOrThrow({ select: { resourceType: true } })).resourceType;
    const byType = await list({ resourceType: type, pageSize: "500" });
    expect(byType.body.items.reduce((n, r) => n + r.total, 0)).toBe(
      await db().finding.count({ where: { resourceType: type, removedAt: null } }),
    );

    const healthy = await list({ status: "Healthy", pageSize: "500" });
    expect(healthy.body.items.every((r) => r.unhealthy === 0 && r.healthy > 0)).toBe(true);
    const unhealthy = await list({ status: "Unhealthy", pageSize: "500" });
    expect(unhealthy.body.items.every((r) => r.unhealthy > 0)).toBe(true);

    const rec = await db().recommendation.findFirstOrThrow({ where: { findings: { some: {} }, categories: { isEmpty: false } } });
    const category = await list({ category: rec.categories[0]!, pageSize: "500" });
    expect(category.body.items.every((r) => r.categories.includes(rec.categories[0]!))).toBe(true);
    const search = await list({ q: rec.displayName.slice(2, 14).toUpperCase() });
    expect(search.body.items.map((r) => r.key)).toContain(rec.key);
    const none = await list({ q: "zz-no-such-recommendation-%" });
    expect(none.body).toMatchObject({ items: [], total: 0 });
  });

  test("tickets: coverage, open/resolved/none, owner and nearest due date follow ticket changes (summaries refreshed by triggers); hasTicket and overdue filter", async () => {
    const target = (await list({ status: "Unhealthy", sort: "-unhealthy" })).body.items[0]!;
    const unhealthy = await db().finding.findMany({
      where: { recommendationKey: target.key, status: "Unhealthy", removedAt: null },
      orderBy: { armId: "asc" },
    });
    expect(unhealthy.length).toBeGreaterThanOrEqual(3);
    const past = new Date(Date.now() - 86_400_000);
    const first = await ticket([unhealthy[0]!.id, unhealthy[1]!.id], { dueDate: past, assignedToName: "Ari Analyst" });

    const after = (await list({ q: target.displayName })).body.items.find((r) => r.key === target.key)!;
    expect(after.tickets).toMatchObject({ open: 2, resolved: 0, none: target.unhealthy - 2 });
    expect(after.coverage).toBeCloseTo(2 / target.unhealthy, 5);
    expect(after).toMatchObject({ owner: "Ari Analyst", nearestDueAt: past.toISOString(), isOverdue: true });

    const withTickets = await list({ hasTicket: "true", pageSize: "500" });
    expect(withTickets.body.items.map((r) => r.key)).toEqual([target.key]);
    const without = await list({ hasTicket: "false", pageSize: "500" });
    expect(without.body.items.map((r) => r.key)).not.toContain(target.key);
    expect(without.body.total).toBe((await truth()).length - 1);
    expect((await list({ overdue: "true" })).body.items.map((r) => r.key)).toEqual([target.key]);

    // ServiceNow resolves it: the summary follows without any ingestion.
    await db().ticket.update({ where: { id: first.id }, data: { state: "resolved", rawState: "6" } });
    const resolved = (await list({ hasTicket: "true" })).body.items[0]!;
    expect(resolved.tickets).toMatchObject({ open: 0, resolved: 2, none: target.unhealthy - 2 });
    expect(resolved.coverage).toBe(0);
    expect(resolved.isOverdue).toBe(false);
    expect((await list({ overdue: "true" })).body.total).toBe(0);

    // Sorting by coverage puts the covered recommendation last (ascending), first descending.
    await ticket([unhealthy[2]!.id], { dueDate: new Date(Date.now() + 7 * 86_400_000) });
    const byCoverage = (await list({ sort: "-coverage", status: "Unhealthy" })).body.items;
    expect(byCoverage[0]!.key).toBe(target.key);
  });

  test("bad input is a 4xx with the field named; anonymous 401; people without a role 403; managers read", async () => {
    const big = await list({ pageSize: "501" });
    expect(big.status).toBe(422);
    expect(big.body.errors?.[0]?.path).toBe("query.pageSize");
    expect((await list({ severity: "Critical" })).status).toBe(422);
    expect((await list({ sort: "random" })).status).toBe(422);
    expect((await list({ hasTicket: "maybe" })).status).toBe(422);
    expect((await call(recommendationsRoute.GET, "GET", "/api/recommendations")).status).toBe(401);
    const norole = (await signedInUser(null)).cookie;
    expect((await list({}, norole)).status).toBe(403);
    expect((await list({}, manager)).status).toBe(200);
  });
});

describe("GET /api/recommendations/{key}", () => {
  test("metadata, remediation, threats and counts per subscription; unknown keys 404, malformed ones 422", async () => {
    const rec = await db().recommendation.findFirstOrThrow({
      where: { findings: { some: {} } },
      include: { findings: { where: { removedAt: null } } },
    });
    const res = await call(recommendationRoute.GET, "GET", `/api/recommendations/${rec.key}`, {
      params: { key: rec.key },
      cookie: manager,
    });
    expect(res.status).toBe(200);
    const detail = (await res.json()) as TRecommendationDetail;
    expect(detail).toMatchObject({
      key: rec.key,
      displayName: rec.displayName,
      description: rec.description,
      remediation: rec.remediation,
      threats: rec.threats,
      total: rec.findings.length,
    });
    expect(detail.subscriptions.reduce((n, s) => n + s.total, 0)).toBe(rec.findings.length);
    expect(detail.subscriptions.every((s) => s.displayName !== s.subscriptionId)).toBe(true);
    expect(detail.portalUrl).toContain(rec.key);

    const missing = await call(recommendationRoute.GET, "GET", "/api/recommendations/00000000-0000-0000-0000-000000000000", {
      params: { key: "00000000-0000-0000-0000-000000000000" },
      cookie: analyst,
    });
    expect(missing.status).toBe(404);
    const malformed = await call(recommendationRoute.GET, "GET", "/api/recommendations/a b", { params: { key: "a b" }, cookie: analyst });
    expect(malformed.status).toBe(422);
  });
});

describe("GET /api/findings", () => {
  test("a recommendation's resources with status, dates and the linked ticket side by side", async () => {
    const withTicket = await db().ticketLink.findFirstOrThrow({
      where: { activeConnectionId: { not: null } },
      include: { finding: true, ticket: true },
    });
    const key = withTicket.finding.recommendationKey;
    const { status, body } = await findings({ recommendationKey: key, pageSize: "500" });
    expect(status).toBe(200);
    expect(body.total).toBe(await db().finding.count({ where: { recommendationKey: key, removedAt: null } }));
    expect(body.items.every((f) => f.recommendationKey === key && f.recommendationName.length > 0 && f.subscriptionName)).toBe(true);
    const linked = body.items.find((f) => f.id === withTicket.findingId)!;
    expect(linked.ticket).toMatchObject({
      id: withTicket.ticketId,
      number: withTicket.ticket.number,
      url: withTicket.ticket.url,
      state: withTicket.ticket.state,
      connectionName: "SN",
    });
    expect(linked.tickets).toHaveLength(1);
    expect(body.items.filter((f) => f.ticket === null).length).toBeGreaterThan(0);
    // Unhealthy first within the same severity.
    const ranks = body.items.map((f) => ({ Unhealthy: 0, Healthy: 1, NotApplicable: 2 })[f.status]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  test("filters: status, resource group, hasTicket, overdue, search; removed findings only on request", async () => {
    const unhealthy = await findings({ status: "Unhealthy", pageSize: "500" });
    expect(unhealthy.body.total).toBe(await db().finding.count({ where: { status: "Unhealthy", removedAt: null } }));
    const group = (await db().finding.findFirstOrThrow({ where: { resourceGroup: { not: null } } })).resourceGroup!;
    const inGroup = await findings({ resourceGroup: group.toUpperCase(), pageSize: "500" });
    expect(inGroup.body.total).toBe(await db().finding.count({ where: { resourceGroup: group, removedAt: null } }));
    const late = unhealthy.body.items.find((f) => f.ticket === null)!;
    await ticket([late.id], { dueDate: new Date(Date.now() - 3_600_000) });
    const ticketed = await findings({ hasTicket: "true" });
    expect(ticketed.body.total).toBe(await db().ticketLink.count({ where: { activeConnectionId: { not: null } } }));
    expect((await findings({ hasTicket: "false" })).body.total).toBe((await findings()).body.total - ticketed.body.total);
    const overdue = await findings({ overdue: "true" });
    expect(overdue.body.items.map((f) => f.id)).toEqual([late.id]);
    expect(overdue.body.items[0]!.ticket?.isOverdue).toBe(true);
    // Without an open ticket that has a due date, Defender's governance due date counts; with one, the ticket's does.
    const [byGovernance, governedButTicketed] = unhealthy.body.items.filter((f) => f.ticket === null && f.id !== late.id);
    const pastDue = new Date(Date.now() - 86_400_000);
    for (const f of [byGovernance!, governedButTicketed!]) {
      await db().governanceAssignment.create({ data: { findingId: f.id, assignmentKey: `overdue-${f.id}`, remediationDueDate: pastDue } });
    }
    await ticket([governedButTicketed!.id], { dueDate: new Date(Date.now() + 86_400_000) });
    const overdueNow = await findings({ overdue: "true", sort: "due" });
    expect(overdueNow.body.items.map((f) => f.id).sort()).toEqual([late.id, byGovernance!.id].sort());
    expect((await findings({ overdue: "false" })).body.total).toBe((await findings()).body.total - 2);
    const name = unhealthy.body.items[0]!.resourceName;
    expect((await findings({ q: name })).body.items.some((f) => f.resourceName === name)).toBe(true);

    const victim = unhealthy.body.items[0]!;
    await db().finding.update({ where: { id: victim.id }, data: { removedAt: new Date() } });
    expect((await findings({ q: victim.resourceId })).body.items.map((f) => f.id)).not.toContain(victim.id);
    const withRemoved = await findings({ q: victim.resourceId, includeRemoved: "true" });
    expect(withRemoved.body.items.find((f) => f.id === victim.id)?.removedAt).not.toBeNull();
    expect((await findings({ sort: "sideways" })).status).toBe(422);
  });
});
