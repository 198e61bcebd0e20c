// Configuration Compliance, read and correlate, against private emulators (the test moves the emulated
// clock and adds thousands of CC records): ServiceNow's own Defender integration (emulated inside the
// ServiceNow emulator, pulling the ARM emulator) fills sn_vulc; a sync reads results, tests, test groups,
// remediation tasks and their join table, matches them to findings and serves them in the findings API;
// the product never writes sn_vulc tables nor import sets; reads are paged and incremental; the
// integration's state model closes a task whose results pass.
import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { type TPage } from "@/lib/schemas/common";
import { type TCcCoverage, type TCcTaskRow } from "@/lib/schemas/compliance-cc";
import { type TConnectionTestResult } from "@/lib/schemas/connections";
import { type TFindingDto } from "@/lib/schemas/findings";
import { syncNow } from "@/lib/sync/testing";
import { call, signedInUser } from "@/test/app";
import { syncWorldSuite } from "@/test/integration";
import * as testRoute from "@/app/api/connections/[id]/test/route";
import * as ccRoute from "@/app/api/compliance/cc/route";
import * as ccTasksRoute from "@/app/api/compliance/cc/tasks/route";
import * as findingsRoute from "@/app/api/findings/route";

const suite = syncWorldSuite({ emulators: { seed: 7, size: "small" }, connection: { ccEnabled: true }, timeoutMs: 180_000 });
let manager: string;
let analyst: string;

type Stored = Record<string, string>;

const records = (table: string, query = "") => suite.sn.list(table, query);

async function runIntegration() {
  const r = await suite.emu.control<{
    ok: boolean;
    error: string | null;
    resultsCreated: number;
    resultsUpdated: number;
    tasksCreated: number;
    tasksClosed: number;
    tasksReopened: number;
  }>("servicenow", "POST", "/_emulator/cc/integration/run");
  expect(r.status).toBe(200);
  expect(r.body.error).toBeNull();
  return r.body;
}

type CounterRow = { emulator: string; method: string; route: string; status: number; count: number };
async function counters(emulator: string): Promise<CounterRow[]> {
  const r = await suite.emu.control<{ value: CounterRow[] }>(
    "servicenow",
    "GET",
    `/_emulator/counters?emulator=${encodeURIComponent(emulator)}`,
  );
  return r.body.value;
}

/** "Test connection" of the world's connection, as an analyst: its steps by id ("cc:integration", "table:…"). */
async function testStepsById() {
  const id = suite.world.connection.id;
  const res = await call(testRoute.POST, "POST", `/api/connections/${id}/test`, { params: { id }, cookie: analyst });
  const { steps } = (await res.json()) as TConnectionTestResult;
  return new Map(steps.map((s) => [s.id, s]));
}

async function findings(query: Record<string, string>): Promise<TPage<TFindingDto>> {
  const res = await call(findingsRoute.GET, "GET", "/api/findings", { query: { pageSize: "500", ...query }, cookie: manager });
  expect(res.status).toBe(200);
  return (await res.json()) as TPage<TFindingDto>;
}

beforeAll(async () => {
  manager = (await signedInUser("MANAGER")).cookie;
  analyst = (await signedInUser("ANALYST")).cookie;
});

describe("the emulated ServiceNow Defender integration", () => {
  test("has imported tests, test groups, results on Azure CIs and remediation tasks at start, from the ARM emulator", async () => {
    const tests = await records("sn_vulc_test", "source=Microsoft Defender for Cloud");
    const groups = await records("sn_vulc_policy_test");
    const results = await records("sn_vulc_result", "source=Microsoft Defender for Cloud");
    const tasks = await records("sn_vulc_result_group");
    const m2m = await records("sn_vulc_m2m_result_result_group");
    expect(tests.total).toBeGreaterThan(0);
    expect(groups.total).toBe(tests.total);
    expect(results.total).toBeGreaterThan(0);
    // Every failed result sits in exactly one open task, grouped by test and assignment group.
    const failed = results.rows.filter((r) => r.result === "failed");
    expect(failed.length).toBe(suite.world.unhealthy.length);
    expect(new Set(m2m.rows.map((l) => l.result))).toEqual(new Set(failed.map((r) => r.sys_id)));
    for (const t of tasks.rows) expect(t.state).toBe("1");
    const keyOf = (sysId: string) => {
      const r = results.rows.find((x) => x.sys_id === sysId)!;
      const t = tasks.rows.find((x) => x.sys_id === m2m.rows.find((l) => l.result === sysId)!.group)!;
      return `${r.test}|${t.assignment_group}`;
    };
    const keysPerTask = new Map<string, Set<string>>();
    for (const l of m2m.rows) keysPerTask.set(l.group!, (keysPerTask.get(l.group!) ?? new Set()).add(keyOf(l.result!)));
    for (const keys of keysPerTask.values()) expect(keys.size).toBe(1);
    // Results reference CIs whose object_id is the Azure resource id.
    const cis = await records("cmdb_ci");
    const objectIdOf = new Map(cis.rows.map((c) => [c.sys_id, c.object_id]));
    const unhealthyResources = new Set(suite.world.unhealthy.map((f) => f.resourceId.toLowerCase()));
    for (const r of failed) expect(unhealthyResources.has((objectIdOf.get(r.cmdb_ci!) ?? "").toLowerCase())).toBe(true);
  });
});

describe("readConfigurationCompliance – full sync", () => {
  test("stores results, tasks and their join, matches every Defender result to its finding, and the findings API shows them", async () => {
    await suite.emu.control("servicenow", "POST", "/_emulator/counters/reset");
    const run = await syncNow(suite.world.connection.id, { mode: "full" });
    expect(run.status, run.error ?? "").toBe("succeeded");
    const cc = (run.counts as { cc: { results: number; tasks: number; links: number; matched: number } }).cc;
    const emulated = await records("sn_vulc_result");
    expect(cc.results).toBe(emulated.total);
    expect(await db().ccResult.count()).toBe(emulated.total);
    expect(await db().ccRemediationTask.count()).toBe((await records("sn_vulc_result_group")).total);
    expect(await db().ccResultTask.count()).toBe((await records("sn_vulc_m2m_result_result_group")).total);
    // Every result the integration made from an assessment is matched to that assessment's finding.
    const matched = await db().ccResult.findMany({ include: { finding: true } });
    for (const r of matched) {
      expect(r.finding, `${r.number} (${r.sourceId})`).not.toBeNull();
      expect(r.finding!.armId.toLowerCase()).toBe(r.sourceId);
      expect(r.finding!.resourceId.toLowerCase()).toBe(r.ciObjectId);
      expect(r.testGroupName).toMatch(/^Microsoft Defender for Cloud – /);
    }

    const page = await findings({ status: "Unhealthy" });
    expect(page.items.length).toBeGreaterThan(0);
    for (const f of page.items) {
      expect(f.cc, f.armId).not.toBeNull();
      expect(f.cc!.result).toBe("Failed");
      expect(f.cc!.remediationTask).toMatchObject({
        state: "Open",
        number: expect.stringMatching(/^VCG\d+/),
        url: expect.stringContaining("sn_vulc_result_group.do"),
      });
    }
    const healthy = await findings({ status: "Healthy" });
    for (const f of healthy.items) expect(f.cc?.result).toBe("Passed");
  });

  test("the product made no write to any sn_vulc table and no call to the Import Set API (emulator request counters)", async () => {
    const writes = await counters("servicenow.table");
    expect(writes.filter((w) => w.route.includes("sn_vulc"))).toEqual([]);
    const requests = await counters("servicenow");
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((r) => r.route.includes("/import"))).toEqual([]);
    // The reads did happen: the Table API served the CC tables.
    expect(requests.some((r) => r.method === "GET" && r.route === "/api/now/table/:table")).toBe(true);
  });

  test("Test connection reports when the Defender integration last delivered", async () => {
    const steps = await testStepsById();
    expect(steps.get("cc:integration")).toMatchObject({
      status: "ok",
      message: expect.stringMatching(/delivers test results; last at \d{4}-\d\d-\d\d \d\d:\d\d UTC/),
    });
    for (const table of ["sn_vulc_result", "sn_vulc_m2m_result_result_group", "sn_vulc_policy_test"])
      expect(steps.get(`table:${table}`)?.status).toBe("ok");
  });
});

describe("the coverage view", () => {
  test("counts per subscription: covered, gap (unhealthy, no failed CC result) and disagreement, with drill-down filters", async () => {
    // A finding turns unhealthy in Defender after the integration's run (gap), and a healthy one's CC result
    // is made to fail by hand in ServiceNow (disagreement).
    const gap = suite.world.unhealthy[0]!;
    await db().ccResult.updateMany({ where: { findingId: gap.id }, data: { findingId: null } });
    const healthy = await db().finding.findFirstOrThrow({
      where: { status: "Healthy", removedAt: null, ccResults: { some: {} } },
      include: { ccResults: true },
    });
    await db().ccResult.update({ where: { id: healthy.ccResults[0]!.id }, data: { result: "Failed", isActive: true } });

    const res = await call(ccRoute.GET, "GET", "/api/compliance/cc", { query: { pageSize: "100" }, cookie: manager });
    expect(res.status).toBe(200);
    const body = (await res.json()) as TCcCoverage;
    expect(body.totals).toMatchObject({
      unhealthy: suite.world.unhealthy.length,
      covered: suite.world.unhealthy.length - 1,
      gap: 1,
      disagree: 1,
    });
    expect(body.subscriptions.items.reduce((n, s) => n + s.gap, 0)).toBe(1);
    const row = body.subscriptions.items.find((s) => s.gap === 1)!;
    const drill = await findings({ cc: "gap", subscriptionId: row.subscriptionId });
    expect(drill.items.map((f) => f.id)).toEqual([gap.id]);
    expect((await findings({ cc: "disagree" })).items.map((f) => f.id)).toEqual([healthy.id]);

    const tasks = await call(ccTasksRoute.GET, "GET", "/api/compliance/cc/tasks", { query: { pageSize: "5" }, cookie: manager });
    const taskPage = (await tasks.json()) as TPage<TCcTaskRow>;
    expect(taskPage.total).toBe(await db().ccRemediationTask.count());
    expect(taskPage.items.length).toBe(Math.min(5, taskPage.total));
    expect(taskPage.items[0]!.findingIds.length).toBe(taskPage.items[0]!.unhealthy);

    // Bad input is a 422 naming the parameter, never a 500; a user without a role is refused.
    const bad = await call(ccRoute.GET, "GET", "/api/compliance/cc", { query: { pageSize: "0" }, cookie: manager });
    expect(bad.status).toBe(422);
    const noRole = (await signedInUser(null)).cookie;
    expect((await call(ccRoute.GET, "GET", "/api/compliance/cc", { cookie: noRole })).status).toBe(403);
    await syncNow(suite.world.connection.id, { mode: "full" }); // restore the stored state from ServiceNow
  });
});

describe("state model and incremental reads", () => {
  test("a remediated finding passes on the integration's next run, its task closes (Closed – Fixed), and incremental syncs read only what changed", async () => {
    const { rows: m2m } = await records("sn_vulc_m2m_result_result_group");
    const tasks = await db().ccRemediationTask.findMany({ orderBy: { number: "asc" } });
    const task = tasks[0]!;
    const inTask = m2m.filter((l) => l.group === task.sysId).map((l) => l.result);
    const fixed = await db().ccResult.findMany({ where: { sysId: { in: inTask } }, include: { finding: true } });
    await suite.emu.control("servicenow", "POST", "/_emulator/clock", { advanceSeconds: 3600 });
    await suite.defender.setStatus(
      fixed.map((r) => r.finding!.armId),
      "Healthy",
    );
    const report = await runIntegration();
    expect(report.resultsUpdated).toBe(fixed.length);
    expect(report.tasksClosed).toBeGreaterThanOrEqual(1);
    const stored = (await records("sn_vulc_result_group", `sys_id=${task.sysId}`)).rows[0]!;
    expect(stored).toMatchObject({ state: "3", substate: "4" });

    const run = await syncNow(suite.world.connection.id);
    expect(run.status, run.error ?? "").toBe("succeeded");
    expect((run.counts as { cc: { isFull: boolean } }).cc.isFull).toBe(false);
    // The next incremental read starts 5 minutes before the newest sys_updated_on seen (late commits):
    // an hour later, with nothing new, it reads exactly the records the integration changed.
    await suite.emu.control("servicenow", "POST", "/_emulator/clock", { advanceSeconds: 3600 });
    const again = await syncNow(suite.world.connection.id);
    const cc = (again.counts as { cc: { results: number; tasks: number } }).cc;
    expect(cc.results).toBe(fixed.length);
    expect(cc.tasks).toBe(report.tasksClosed + report.tasksReopened);
    const after = await findings({ recommendationKey: fixed[0]!.finding!.recommendationKey, q: fixed[0]!.finding!.resourceName });
    const dto = after.items.find((f) => f.id === fixed[0]!.findingId)!;
    expect(dto.cc).toMatchObject({ result: "Passed", remediationTask: { number: task.number, state: "Closed" } });
  });

  test("a Resolved task whose result still fails goes back to Under Investigation on the next run", async () => {
    const open = await db().ccRemediationTask.findFirstOrThrow({ where: { stateLabel: "Open" } });
    const patched = await suite.emu.control("servicenow", "PATCH", `/_emulator/records/sn_vulc_result_group/${open.sysId}`, {
      fields: { state: "101" },
      force: true,
    });
    expect(patched.status).toBe(200);
    const report = await runIntegration();
    expect(report.tasksReopened).toBe(1);
    expect((await records("sn_vulc_result_group", `sys_id=${open.sysId}`)).rows[0]!.state).toBe("2");
    await syncNow(suite.world.connection.id);
    expect((await db().ccRemediationTask.findUniqueOrThrow({ where: { id: open.id } })).stateLabel).toBe("Under Investigation");
  });

  test("10,000+ results are read page by page (1,000 a page), then incrementally by sys_updated_on", async () => {
    const { rows: cis } = await records("cmdb_ci", "object_idSTARTSWITH/subscriptions/");
    // Another scanner's test: its results are on Azure CIs but match no Defender assessment.
    const other = await suite.emu.control<{ result: Stored }>("servicenow", "POST", "/_emulator/records/sn_vulc_test", {
      fields: { name: "Another scanner's check", source: "Another scanner", source_id: "other-1" },
    });
    const test = other.body.result;
    const before = await db().ccResult.count();
    const extra = 10_200;
    const bulk = await suite.emu.control("servicenow", "POST", "/_emulator/records/sn_vulc_result/bulk", {
      records: Array.from({ length: extra }, (_, i) => ({
        source: "Another scanner",
        source_id: `bulk-${i}`,
        result: "failed",
        test: test.sys_id!,
        cmdb_ci: cis[i % cis.length]!.sys_id!,
        active: "true",
      })),
    });
    expect(bulk.status).toBe(201);
    await suite.emu.control("servicenow", "POST", "/_emulator/counters/reset");
    const full = await syncNow(suite.world.connection.id, { mode: "full" });
    expect(full.status, full.error ?? "").toBe("succeeded");
    expect((full.counts as { cc: { results: number } }).cc.results).toBe(before + extra);
    expect(await db().ccResult.count()).toBe(before + extra);
    const gets = (await counters("servicenow"))
      .filter((r) => r.method === "GET" && r.route === "/api/now/table/:table")
      .reduce((n, r) => n + r.count, 0);
    expect(gets).toBeGreaterThanOrEqual(Math.ceil((before + extra) / 1000));
    // Stored, never matched to a Defender finding.
    expect(await db().ccResult.count({ where: { sourceId: { startsWith: "bulk-" }, findingId: { not: null } } })).toBe(0);

    // An hour later one of them changes: the incremental read picks it up, and once the watermark has
    // moved past the bulk, an incremental read an hour after that reads only that one record.
    await suite.emu.control("servicenow", "POST", "/_emulator/clock", { advanceSeconds: 3600 });
    const changed = await db().ccResult.findFirstOrThrow({ where: { sourceId: "bulk-17" } });
    await suite.emu.control("servicenow", "PATCH", `/_emulator/records/sn_vulc_result/${changed.sysId}`, {
      fields: { result: "passed" },
      force: true,
    });
    const incremental = await syncNow(suite.world.connection.id);
    expect((incremental.counts as { cc: { isFull: boolean } }).cc.isFull).toBe(false);
    expect((await db().ccResult.findUniqueOrThrow({ where: { id: changed.id } })).result).toBe("Passed");
    await suite.emu.control("servicenow", "POST", "/_emulator/clock", { advanceSeconds: 3600 });
    const quiet = await syncNow(suite.world.connection.id);
    expect((quiet.counts as { cc: { results: number } }).cc.results).toBe(1);
  }, 300_000);

  test("Test connection warns when ServiceNow's Defender integration has delivered nothing (a fresh instance)", async () => {
    expect((await suite.emu.control("servicenow", "POST", "/_emulator/reset", { state: true })).status).toBeLessThan(300);
    expect((await records("sn_vulc_result")).total).toBe(0);
    expect((await testStepsById()).get("cc:integration")).toMatchObject({
      status: "warning",
      message: expect.stringContaining('install and run ServiceNow\'s "Microsoft Defender for Cloud" integration'),
    });
  });
});
