// The compliance view's API against a tenant ingested from the ARM emulator and tickets created through
// the ticket service: the daily snapshot (idempotent per day, past days kept), the summary with and
// without a subscription filter, the regulatory drill-down down to the tickets, SLA figures, the CSV
// export, the overview, and the errors a user must see (4xx, never 500).
import { beforeAll, describe, expect, test } from "vitest";
import { db, pool } from "@/lib/db";
import { type TComplianceControlDetail, type TComplianceStandardDetail, type TComplianceSummary } from "@/lib/schemas/compliance";
import { type TOverview } from "@/lib/schemas/overview";
import { type TCreatedTicket } from "@/lib/schemas/tickets";
import { call, signedInUser } from "@/test/app";
import { findingsWorldSuite } from "@/test/integration";
import * as summaryRoute from "@/app/api/compliance/summary/route";
import * as exportRoute from "@/app/api/compliance/export.csv/route";
import * as standardRoute from "@/app/api/compliance/standards/[standard]/route";
import * as controlRoute from "@/app/api/compliance/standards/[standard]/controls/[control]/route";
import * as overviewRoute from "@/app/api/overview/route";
import * as ticketsRoute from "@/app/api/tickets/route";
import { writeComplianceSnapshot } from "@/lib/compliance/snapshot-sql";

const suite = findingsWorldSuite({ timeoutMs: 180_000 });
let manager: string;
let analyst: string;
const today = new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

async function get<T>(
  handler: Parameters<typeof call>[0],
  path: string,
  query: Record<string, string> = {},
  params: Record<string, string> = {},
) {
  const res = await call(handler, "GET", path, { query, params, cookie: manager });
  // ignoreBOM keeps the byte-order mark a CSV starts with (Response.text() would drop it).
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await res.arrayBuffer());
  return {
    status: res.status,
    headers: res.headers,
    text,
    body: (res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : null) as T,
  };
}

async function ticket(findingIds: string[]): Promise<TCreatedTicket> {
  const res = await call(ticketsRoute.POST, "POST", "/api/tickets", {
    body: { connectionId: suite.connection.id, type: "incident", findingIds },
    cookie: analyst,
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { tickets: TCreatedTicket[] }).tickets[0]!;
}

/** Unhealthy findings (not removed) counted straight from the findings table. */
async function unhealthyBySeverity(subscriptionId?: string) {
  const rows = await db().finding.groupBy({
    by: ["severity"],
    where: { status: "Unhealthy", removedAt: null, ...(subscriptionId ? { subscriptionId } : {}) },
    _count: true,
  });
  const of = (s: string) => rows.find((r) => r.severity === s)?._count ?? 0;
  return { high: of("High"), medium: of("Medium"), low: of("Low") };
}

/** A failing control with an assessment whose recommendation has unhealthy findings in `subscriptionId`. */
async function failingControl(subscriptionId: string) {
  const { rows } = await pool().query<{ standardName: string; controlName: string; recommendationKey: string }>(
    `SELECT a."standardName", a."controlName", a."recommendationKey"
     FROM "RegulatoryAssessment" a JOIN "RegulatoryControl" c ON c."subscriptionId" = a."subscriptionId" AND c."standardName" = a."standardName" AND c."name" = a."controlName"
     WHERE a."subscriptionId" = $1 AND c."state" = 'Failed' AND a."state" = 'Failed'
       AND EXISTS (SELECT 1 FROM "Finding" f WHERE f."recommendationKey" = a."recommendationKey" AND f."subscriptionId" = $1 AND f."status" = 'Unhealthy')
     ORDER BY 1, 2, 3 LIMIT 1`,
    [subscriptionId],
  );
  expect(rows[0], "the emulator reports a failing control backed by unhealthy findings").toBeDefined();
  return rows[0]!;
}

beforeAll(async () => {
  manager = (await signedInUser("MANAGER")).cookie;
  analyst = (await signedInUser("ANALYST")).cookie;
});

describe("writeComplianceSnapshot", () => {
  test("one row per included subscription and day, with the day's counts; writing the day again updates it and leaves earlier days alone", async () => {
    const subscriptions = await db().subscription.findMany({ where: { included: true } });
    expect(await writeComplianceSnapshot(daysAgo(1))).toBe(subscriptions.length);
    expect(await writeComplianceSnapshot(today)).toBe(subscriptions.length);
    const sub = suite.world.unhealthy[0]!;
    const subscriptionId = (await db().finding.findUniqueOrThrow({ where: { id: sub.id } })).subscriptionId;
    const before = await db().complianceSnapshot.findUniqueOrThrow({
      where: { day_subscriptionId: { day: new Date(`${today}T00:00:00Z`), subscriptionId } },
    });
    const counts = await unhealthyBySeverity(subscriptionId);
    expect({ high: before.unhealthyHigh, medium: before.unhealthyMedium, low: before.unhealthyLow }).toEqual(counts);
    const score = await db().secureScore.findFirstOrThrow({ where: { subscriptionId, name: "ascScore" } });
    expect(before.secureScorePercent).toBeCloseTo((100 * score.current) / score.max, 1);
    expect((before.standards as Array<{ name: string }>).map((s) => s.name).sort()).toEqual(
      (await db().regulatoryStandard.findMany({ where: { subscriptionId } })).map((s) => s.name).sort(),
    );

    await ticket([sub.id]);
    expect(await writeComplianceSnapshot(today)).toBe(subscriptions.length);
    const after = await db().complianceSnapshot.findUniqueOrThrow({ where: { id: before.id } });
    expect([after.openTickets, after.coveredUnhealthy]).toEqual([before.openTickets + 1, before.coveredUnhealthy + 1]);
    const yesterday = await db().complianceSnapshot.findUniqueOrThrow({
      where: { day_subscriptionId: { day: new Date(`${daysAgo(1)}T00:00:00Z`), subscriptionId } },
    });
    expect(yesterday.openTickets).toBe(before.openTickets);
    expect(await db().complianceSnapshot.count()).toBe(2 * subscriptions.length);
  });

  test("refuses something that is not a day", async () => {
    await expect(writeComplianceSnapshot("2026-13-01x")).rejects.toThrow(RangeError);
  });
});

describe("GET /api/compliance/summary", () => {
  test("all subscriptions: findings by severity, coverage, tickets, secure score, standards and the trend of the range", async () => {
    const res = await get<TComplianceSummary>(summaryRoute.GET, "/api/compliance/summary");
    expect(res.status).toBe(200);
    const s = res.body;
    expect({ high: s.findings.high, medium: s.findings.medium, low: s.findings.low }).toEqual(await unhealthyBySeverity());
    expect(s.findings.unhealthy).toBe(s.findings.high + s.findings.medium + s.findings.low);
    expect(s.coverage).toEqual({
      unhealthy: s.findings.unhealthy,
      covered: 1,
      percent: Math.round((1000 * 1) / s.findings.unhealthy) / 10,
    });
    expect(s.tickets).toMatchObject({ open: 1, overdue: 0, drift: 0 });
    const scores = await db().secureScore.findMany({ where: { name: "ascScore" } });
    expect(s.scoreBySubscription).toHaveLength(scores.length);
    expect(s.secureScore!.percent).toBeCloseTo(
      (100 * scores.reduce((n, x) => n + x.current, 0)) / scores.reduce((n, x) => n + x.max, 0),
      1,
    );
    const standards = await pool().query<{ name: string }>(`SELECT DISTINCT "standardName" AS name FROM "RegulatoryControl" ORDER BY 1`);
    expect(s.standards.map((x) => x.name)).toEqual(standards.rows.map((r) => r.name));
    for (const st of s.standards)
      expect(st.state).toBe(st.failed > 0 ? "Failed" : st.passed > 0 ? "Passed" : st.skipped > 0 ? "Skipped" : "Unsupported");
    expect(s.range).toEqual({ from: daysAgo(89), to: today });
    expect(s.trend.map((d) => d.day)).toEqual([daysAgo(1), today]);
    // Yesterday from its snapshot (before the ticket); today live, as the tiles show it.
    expect(s.trend[0]).toMatchObject({ openTickets: 0, coveredUnhealthy: 0 });
    expect(s.trend.at(-1)).toMatchObject({
      openTickets: 1,
      coveredUnhealthy: 1,
      high: s.findings.high,
      scorePercent: s.secureScore!.percent,
    });
    expect(s.sla.bySeverity.map((r) => r.name)).toEqual(["High", "Medium", "Low"]);
    expect(s.sla.bySeverity.reduce((n, r) => n + r.open, 0)).toBe(1);
  });

  test("one subscription and a range: only that subscription's numbers, only the days of the range", async () => {
    const subscriptionId = (await db().subscription.findFirstOrThrow({ where: { included: true }, orderBy: { subscriptionId: "desc" } }))
      .subscriptionId;
    const res = await get<TComplianceSummary>(summaryRoute.GET, "/api/compliance/summary", {
      subscriptionId: subscriptionId.toUpperCase(),
      from: today,
      to: today,
    });
    expect(res.status).toBe(200);
    expect(res.body.subscriptionId).toBe(subscriptionId);
    expect({ high: res.body.findings.high, medium: res.body.findings.medium, low: res.body.findings.low }).toEqual(
      await unhealthyBySeverity(subscriptionId),
    );
    expect(res.body.scoreBySubscription.map((x) => x.subscriptionId)).toEqual([subscriptionId]);
    expect(res.body.trend.map((d) => d.day)).toEqual([today]);
    expect(res.body.subscriptions.length).toBeGreaterThan(1);
  });

  test("SLA: mean time to remediate per severity, owner and group over the tickets resolved in the range", async () => {
    const [a, b] = [suite.world.unhealthy[10]!, suite.world.unhealthy[11]!];
    const ta = await ticket([a.id]);
    const tb = await ticket([b.id]);
    const created = new Date(Date.now() - 3 * 86_400_000);
    // Resolved 24 h and 48 h after creation (what the sync writes when ServiceNow resolves them).
    for (const [t, state, rawState, hours] of [
      [ta, "resolved", "6", 24],
      [tb, "closed", "7", 48],
    ] as const) {
      await db().ticket.update({
        where: { id: t.id },
        data: {
          state,
          rawState,
          createdAt: created,
          resolvedAt: new Date(created.getTime() + hours * 3600_000),
          assignedToName: "Ada Lovelace",
          assignmentGroupName: "Cloud Security Operations",
        },
      });
    }
    const res = await get<TComplianceSummary>(summaryRoute.GET, "/api/compliance/summary");
    expect(res.body.sla.byOwner.find((r) => r.name === "Ada Lovelace")).toEqual({
      name: "Ada Lovelace",
      open: 0,
      overdue: 0,
      resolved: 2,
      meanHoursToRemediate: 36,
    });
    expect(res.body.sla.byGroup.find((r) => r.name === "Cloud Security Operations")).toMatchObject({
      resolved: 2,
      meanHoursToRemediate: 36,
    });
    expect(res.body.sla.bySeverity.reduce((n, r) => n + r.resolved, 0)).toBe(2);
    // Outside the range they do not count.
    const old = await get<TComplianceSummary>(summaryRoute.GET, "/api/compliance/summary", { from: daysAgo(30), to: daysAgo(10) });
    expect(old.body.sla.byOwner.find((r) => r.name === "Ada Lovelace")).toBeUndefined();
  });

  test("bad filters are a 422 naming the field, never a 500", async () => {
    for (const [query, field] of [
      [{ from: "2026-02-10", to: "2026-02-01" }, "query.from"],
      [{ from: "2026-02-30" }, "query.from"],
      [{ subscriptionId: "not-a-guid" }, "query.subscriptionId"],
      [{ from: "2020-01-01", to: "2026-01-01" }, "query.from"],
      [{ colour: "blue" }, "query"],
    ] as const) {
      const res = await get<{ errors: Array<{ path: string }> }>(summaryRoute.GET, "/api/compliance/summary", query);
      expect(res.status, JSON.stringify(query)).toBe(422);
      expect(res.body.errors.map((e) => e.path).join(" ")).toContain(field);
    }
  });
});

describe("regulatory drill-down", () => {
  test("standard → failing control → its assessments with the unhealthy findings and the tickets that track them", async () => {
    const subscriptionId = (await db().finding.findUniqueOrThrow({ where: { id: suite.world.unhealthy[0]!.id } })).subscriptionId;
    const target = await failingControl(subscriptionId);
    const finding = await db().finding.findFirstOrThrow({
      where: { recommendationKey: target.recommendationKey, subscriptionId, status: "Unhealthy", links: { none: {} } },
    });
    const created = await ticket([finding.id]);

    const std = await get<TComplianceStandardDetail>(
      standardRoute.GET,
      `/api/compliance/standards/${encodeURIComponent(target.standardName)}`,
      { subscriptionId },
      { standard: target.standardName },
    );
    expect(std.status).toBe(200);
    expect(std.body.controls[0]!.state).toBe("Failed");
    const failing = std.body.controls.filter((c) => c.state === "Failed");
    expect(failing.length).toBe(std.body.standard.failed);
    expect(failing.map((c) => c.name)).toContain(target.controlName);

    const ctl = await get<TComplianceControlDetail>(
      controlRoute.GET,
      "/api/compliance/standards/x/controls/y",
      { subscriptionId },
      { standard: target.standardName, control: target.controlName },
    );
    expect(ctl.status).toBe(200);
    expect(ctl.body.control).toMatchObject({ name: target.controlName, state: "Failed" });
    const assessment = ctl.body.assessments.find((a) => a.recommendation?.key === target.recommendationKey)!;
    expect(assessment.unhealthyFindings).toBe(
      await db().finding.count({
        where: { recommendationKey: target.recommendationKey, subscriptionId, status: "Unhealthy", removedAt: null },
      }),
    );
    expect(assessment.tickets.map((t) => t.number)).toContain(created.number);
    expect(assessment.tickets.find((t) => t.number === created.number)).toMatchObject({
      state: "open",
      stateLabel: "New",
      module: "itsm",
      findings: 1,
    });
    expect(assessment.coveredFindings).toBeGreaterThanOrEqual(1);
  });

  test("an unknown standard or control is a 404 in words; a slash in a name a 422", async () => {
    const unknown = await get<{ detail: string }>(standardRoute.GET, "/api/compliance/standards/Nope", {}, { standard: "Nope" });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toContain('"Nope"');
    const { rows } = await pool().query<{ standardName: string }>(`SELECT "standardName" FROM "RegulatoryControl" LIMIT 1`);
    const control = await get(
      controlRoute.GET,
      "/api/compliance/standards/x/controls/y",
      {},
      { standard: rows[0]!.standardName, control: "no-such-control" },
    );
    expect(control.status).toBe(404);
    expect((await get(standardRoute.GET, "/api/compliance/standards/a", {}, { standard: "a/b" })).status).toBe(422);
    expect(
      (await get(standardRoute.GET, "/api/compliance/standards/a", {}, { standard: encodeURIComponent(rows[0]!.standardName) })).status,
    ).toBe(200);
  });
});

describe("GET /api/compliance/export.csv", () => {
  test("the trend: a header and one row per day and subscription of the range, as an attachment", async () => {
    const res = await get(exportRoute.GET, "/api/compliance/export.csv", { from: daysAgo(1), to: today });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="compliance-trend-${daysAgo(1)}_${today}-all-subscriptions.csv"`,
    );
    expect(res.text.startsWith("\uFEFFday,subscription_id,subscription,secure_score_percent")).toBe(true);
    const lines = res.text.trim().split("\r\n");
    expect(lines).toHaveLength(1 + (await db().complianceSnapshot.count()));
    expect(lines.slice(1).every((l) => l.startsWith(daysAgo(1)) || l.startsWith(today))).toBe(true);
  });

  test("the controls of one standard, per subscription", async () => {
    const { rows } = await pool().query<{ standardName: string; n: number }>(
      `SELECT "standardName", count(*)::int AS n FROM "RegulatoryControl" GROUP BY 1 ORDER BY 1 LIMIT 1`,
    );
    const res = await get(exportRoute.GET, "/api/compliance/export.csv", { report: "controls", standard: rows[0]!.standardName });
    expect(res.status).toBe(200);
    const lines = res.text.trim().split("\r\n");
    expect(
      res.text.startsWith(
        "\uFEFFstandard,control,description,subscription_id,subscription,state,passed_assessments,failed_assessments,skipped_assessments\r\n",
      ),
    ).toBe(true);
    expect(lines).toHaveLength(1 + rows[0]!.n);
    expect((await get(exportRoute.GET, "/api/compliance/export.csv", { report: "everything" })).status).toBe(422);
  });
});

describe("GET /api/overview", () => {
  test("the headline numbers equal the compliance summary's, with each connection's sync state and the recent runs", async () => {
    const [overview, summary] = await Promise.all([
      get<TOverview>(overviewRoute.GET, "/api/overview"),
      get<TComplianceSummary>(summaryRoute.GET, "/api/compliance/summary"),
    ]);
    expect(overview.status).toBe(200);
    expect(overview.body.findings).toEqual({
      high: summary.body.findings.high,
      medium: summary.body.findings.medium,
      low: summary.body.findings.low,
      unhealthy: summary.body.findings.unhealthy,
    });
    expect(overview.body.tickets).toEqual(summary.body.tickets);
    expect(overview.body.coverage).toEqual(summary.body.coverage);
    expect(overview.body.secureScore).toEqual(summary.body.secureScore);
    expect(overview.body.scoreTrend.map((d) => d.day)).toEqual([daysAgo(1), today]);
    expect(overview.body.syncs.map((s) => [s.kind, s.id])).toEqual(
      expect.arrayContaining([
        ["servicenow", suite.connection.id],
        ["azure", suite.world.tenantId],
      ]),
    );
    const tenant = overview.body.syncs.find((s) => s.id === suite.world.tenantId)!;
    expect(tenant.lastRun).toMatchObject({ status: expect.any(String) });
    expect(overview.body.recentRuns.some((r) => r.kind === "defender_ingest")).toBe(true);
  });
});
