// Configuration Compliance export against private emulators (the CC settings are changed here, and the
// result source is the same for every connection): the demo tenant's findings become the right tests,
// policies and results; a remediation flips a result to Passed in the next run and nothing else is sent;
// remediation tasks made in ServiceNow — or from the UI through the ticket service — show up as CC
// tickets linked to their findings; a misconfigured instance is a clear error in the run and in
// "Test connection".
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { privateEmulators, type TestEmulators } from "@/emulators/common/testing";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/boss";
import { type TConnectionTestResult } from "@/lib/schemas/connections";
import { type TCreatedTicket, type TTicketDto } from "@/lib/schemas/tickets";
import { defenderSide, eventsOf, serviceNowSide, syncNow, syncWorld, type SyncWorld } from "@/lib/sync/testing";
import { emulatorConnection } from "@/lib/tickets/testing";
import { call, configureTestEnv, signedInUser } from "@/test/app";
import { type BoundTestDatabase, useTestDatabase } from "@/test/db";
import * as testRoute from "@/app/api/connections/[id]/test/route";
import * as ticketsRoute from "@/app/api/tickets/route";
import { DEFENDER_SOURCE, resultSourceId } from "./source";

let database: BoundTestDatabase;
let emu: TestEmulators;
let world: SyncWorld;
let sn: ReturnType<typeof serviceNowSide>;
let defender: ReturnType<typeof defenderSide>;
let analyst: string;

type Stored = Record<string, string>;

async function records(table: string, query: string): Promise<Stored[]> {
  const r = await emu.control<{ result: Stored[]; total: number }>("servicenow", "GET", `/_emulator/records/${table}?limit=10000&sysparm_query=${encodeURIComponent(query)}`);
  expect(r.status).toBe(200);
  return r.body.result;
}

/** Rows sent to the Import Set API since the counters were reset (one request per batch). */
async function importRequests(): Promise<number> {
  const r = await emu.control<{ value: Array<{ route: string; count: number }> }>("servicenow", "GET", "/_emulator/counters?emulator=servicenow&method=POST");
  return r.body.value.filter((row) => row.route.includes("/import/")).reduce((n, row) => n + row.count, 0);
}

async function resultOf(armId: string): Promise<Stored> {
  const [row] = await records("sn_vulc_result", `source=${DEFENDER_SOURCE}^source_id=${resultSourceId(armId)}`);
  expect(row, `the test result of ${armId}`).toBeDefined();
  return row!;
}

async function testConnection(connectionId: string): Promise<TConnectionTestResult> {
  const res = await call(testRoute.POST, "POST", `/api/connections/${connectionId}/test`, { params: { id: connectionId }, cookie: analyst });
  expect(res.status).toBe(200);
  return (await res.json()) as TConnectionTestResult;
}

beforeAll(async () => {
  database = await useTestDatabase();
  configureTestEnv(database.url);
  emu = await privateEmulators({ seed: 42, size: "small" });
  sn = serviceNowSide(emu);
  defender = defenderSide(emu);
  world = await syncWorld(emu.manifest, { ccEnabled: true });
  analyst = (await signedInUser("ANALYST")).cookie;
}, 180_000);

afterAll(async () => {
  await stopBoss({ graceful: false, timeoutMs: 2000 });
  await emu?.stop();
  await database?.drop();
});

describe("exportConfigurationCompliance – first export", () => {
  test("the demo tenant's findings become one test per recommendation, grouped by category, and one result per finding", async () => {
    const run = await syncNow(world.connection.id);
    expect(run.status, run.error ?? "").toBe("succeeded");

    const findings = await db().finding.findMany({ where: { status: { in: ["Healthy", "Unhealthy"] }, removedAt: null }, include: { recommendation: true } });
    const keys = [...new Set(findings.map((f) => f.recommendationKey))].sort();
    const tests = await records("sn_vulc_test", `source=${DEFENDER_SOURCE}`);
    expect(tests.map((t) => t.source_id).sort()).toEqual(keys);
    const policies = await records("sn_vulc_policy", `source=${DEFENDER_SOURCE}`);
    const categories = new Set(findings.map((f) => f.recommendation.categories[0] ?? "General"));
    expect(policies).toHaveLength(categories.size);
    for (const t of tests) expect(policies.map((p) => p.sys_id)).toContain(t.policy);

    const results = await records("sn_vulc_result", `source=${DEFENDER_SOURCE}`);
    expect(results).toHaveLength(findings.length);
    expect(await db().ccExportState.count({ where: { connectionId: world.connection.id } })).toBe(findings.length);

    // One unhealthy finding, field by field, as a ServiceNow user would check it.
    const f = findings.find((x) => x.status === "Unhealthy" && x.resourceId.includes("/resourceGroups/"))!;
    const stored = await resultOf(f.armId);
    const test = tests.find((t) => t.source_id === f.recommendationKey)!;
    const [ci] = await records("cmdb_ci", `object_id=${f.resourceId}`);
    expect({ result: stored.result, risk: stored.risk_rating, test: stored.test, ci: stored.cmdb_ci, expected: stored.expected }).toEqual({
      result: "failed",
      risk: { High: "2", Medium: "3", Low: "4" }[f.severity],
      test: test.sys_id,
      ci: ci!.sys_id,
      expected: "Healthy",
    });
    expect(stored.actual).toMatch(/^Unhealthy/);
    expect(test.name).toBe(f.recommendation.displayName);
    const healthy = findings.find((x) => x.status === "Healthy")!;
    expect((await resultOf(healthy.armId)).result).toBe("passed");

    const events = await eventsOf(run.id);
    expect(events.filter((e) => e.action === "created" && e.entityType === "cc_test")).toHaveLength(keys.length);
    expect(events.filter((e) => e.action === "exported" && e.entityType === "cc_test").length).toBeGreaterThan(0);
    expect(run.counts).toMatchObject({ cc: { testsCreated: keys.length, results: { sent: findings.length, failed: 0 } } });
  });

  test("the next run sends nothing when nothing changed", async () => {
    await sn.resetCounters();
    const run = await syncNow(world.connection.id);
    expect(run.status, run.error ?? "").toBe("succeeded");
    expect(await importRequests()).toBe(0);
    expect(run.counts).toMatchObject({ cc: { testsCreated: 0, results: { sent: 0 } } });
  });
});

describe("exportConfigurationCompliance – incremental", () => {
  test("a remediation flips the finding's result to Passed in the next run, and only that row is sent", async () => {
    const target = world.unhealthy[0]!;
    expect((await resultOf(target.armId)).result).toBe("failed");
    await defender.setStatus([target.armId], "Healthy");
    await sn.resetCounters();
    const run = await syncNow(world.connection.id);
    expect(run.status, run.error ?? "").toBe("succeeded");
    expect((await resultOf(target.armId)).result).toBe("passed");
    expect(await importRequests()).toBe(1);
    expect(run.counts).toMatchObject({ cc: { results: { sent: 1, toPassed: 1 } } });
    const flip = (await eventsOf(run.id)).find((e) => e.action === "exported" && e.findingId === target.id);
    expect(flip).toMatchObject({ before: { result: "Failed" }, after: { result: "Passed" } });

    // And back: a regression is Failed again.
    await defender.setStatus([target.armId], "Unhealthy");
    await syncNow(world.connection.id);
    expect((await resultOf(target.armId)).result).toBe("failed");
  });
});

describe("remediation tasks", () => {
  test("a task made in ServiceNow shows up as a CC ticket linked to its findings, next to their ITSM tickets, with its state", async () => {
    const [a, b] = [world.unhealthy[1]!, world.unhealthy[2]!];
    const itsm = await call(ticketsRoute.POST, "POST", "/api/tickets", { body: { connectionId: world.connection.id, type: "incident", findingIds: [a.id] }, cookie: analyst });
    expect(itsm.status).toBe(201);
    const created = await emu.control<{ result: Stored }>("servicenow", "POST", "/_emulator/records/sn_vulc_result_group", { fields: { short_description: "Fix storage network rules", state: "1" } });
    expect(created.status).toBe(201);
    const task = created.body.result;
    for (const f of [a, b]) await sn.changeAsUser("sn_vulc_result", (await resultOf(f.armId)).sys_id!, { result_group: task.sys_id! });

    const run = await syncNow(world.connection.id);
    expect(run.status, run.error ?? "").toBe("succeeded");
    const ticket = await db().ticket.findUniqueOrThrow({ where: { connectionId_sysId: { connectionId: world.connection.id, sysId: task.sys_id! } }, include: { links: true } });
    expect({ table: ticket.table, module: ticket.module, number: ticket.number, state: ticket.state }).toEqual({ table: "sn_vulc_result_group", module: "cc", number: task.number, state: "open" });
    expect(ticket.links.filter((l) => l.activeConnectionId).map((l) => l.findingId).sort()).toEqual([a.id, b.id].sort());

    // The finding's tickets: the incident and the remediation task side by side.
    const listed = await call(ticketsRoute.GET, "GET", "/api/tickets", { query: { findingId: a.id }, cookie: analyst });
    const page = (await listed.json()) as { items: TTicketDto[] };
    expect(page.items.map((t) => t.table).sort()).toEqual(["incident", "sn_vulc_result_group"]);
    expect((await eventsOf(run.id)).filter((e) => e.action === "linked" && e.ticketId === ticket.id)).toHaveLength(2);

    // Defender's governance assignment keeps following the incident, run after run.
    const incident = ((await itsm.json()) as { tickets: TCreatedTicket[] }).tickets[0]!;
    const governance = await db().governanceAssignment.findFirstOrThrow({ where: { findingId: a.id, isManaged: true } });
    expect(governance.ticketNumber).toBe(Number(incident.number.replace(/\D/g, "")));

    // Its state follows ServiceNow.
    await sn.changeAsUser("sn_vulc_result_group", task.sys_id!, { state: "2" });
    const next = await syncNow(world.connection.id);
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).rawState).toBe("2");
    expect((await eventsOf(next.id)).filter((e) => e.action === "governance_updated" && e.findingId === a.id)).toEqual([]);
    expect((await db().governanceAssignment.findUniqueOrThrow({ where: { id: governance.id } })).ticketNumber).toBe(governance.ticketNumber);
  });

  test("POST /api/tickets – a remediation task for selected findings: created once, its results attached, a repeat answers the same task", async () => {
    const findings = [world.unhealthy[3]!, world.unhealthy[4]!];
    const body = { connectionId: world.connection.id, type: "sn_vulc_result_group", findingIds: findings.map((f) => f.id) };
    const first = await call(ticketsRoute.POST, "POST", "/api/tickets", { body, cookie: analyst });
    const answer = (await first.json()) as { tickets: TCreatedTicket[] };
    expect(first.status, JSON.stringify(answer)).toBe(201);
    const [created] = answer.tickets;
    expect(created).toMatchObject({ table: "sn_vulc_result_group", number: expect.stringMatching(/^CCRT\d{7}$/), state: "open" });
    const ticket = await db().ticket.findUniqueOrThrow({ where: { id: created!.id }, include: { links: true } });
    expect(ticket.module).toBe("cc");
    expect(ticket.links.map((l) => l.module)).toEqual(["cc", "cc"]);
    const stored = await sn.record("sn_vulc_result_group", ticket.sysId);
    expect(stored.correlation_id).toBe(ticket.correlationId);
    for (const f of findings) expect((await resultOf(f.armId)).result_group).toBe(ticket.sysId);

    const again = await call(ticketsRoute.POST, "POST", "/api/tickets", { body, cookie: analyst });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { tickets: TCreatedTicket[] }).tickets[0]!.id).toBe(created!.id);
    expect(await sn.count("sn_vulc_result_group", `correlation_id=${ticket.correlationId}`)).toBe(1);

    // The read-back keeps it as it is (same ticket, same links).
    const run = await syncNow(world.connection.id);
    expect(run.status, run.error ?? "").toBe("succeeded");
    expect(await db().ticketLink.count({ where: { ticketId: ticket.id, activeConnectionId: { not: null } } })).toBe(2);
  });

  test("a remediation task on a connection without CC is a 409 naming why", async () => {
    const itsmOnly = await emulatorConnection(emu.manifest);
    const res = await call(ticketsRoute.POST, "POST", "/api/tickets", { body: { connectionId: itsmOnly.id, type: "sn_vulc_result_group", findingIds: [world.unhealthy[5]!.id] }, cookie: analyst });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { detail: string }).detail).toContain("Configuration Compliance is not enabled");
  });
});

describe("a misconfigured instance", () => {
  afterAll(async () => {
    await emu.control("servicenow", "PUT", "/_emulator/cc", { hasStagingTable: true, hasImportRole: true });
  });

  test("no staging table: Test connection says so, and the run ends partial with that error (the ITSM work stands)", async () => {
    expect((await testConnection(world.connection.id)).steps.find((s) => s.id === "cc:import-set")).toMatchObject({ status: "ok" });
    await emu.control("servicenow", "PUT", "/_emulator/cc", { hasStagingTable: false });
    const checked = await testConnection(world.connection.id);
    expect(checked.isOk).toBe(false);
    expect(checked.steps.find((s) => s.id === "cc:import-set")).toMatchObject({ status: "failed", message: expect.stringContaining('"u_posturedesk_cc_import" does not exist') });

    await defender.setStatus([world.unhealthy[6]!.armId], "Healthy");
    const run = await syncNow(world.connection.id);
    expect(run.status).toBe("partial");
    expect(run.error).toContain('the import staging table "u_posturedesk_cc_import" does not exist');
    const errors = (await eventsOf(run.id)).filter((e) => e.action === "error");
    expect(errors.map((e) => e.message).join("\n")).toContain("does not exist");
    await emu.control("servicenow", "PUT", "/_emulator/cc", { hasStagingTable: true });
  });

  test("no import role: Test connection and the run name the missing role; the next run after the fix sends what was left", async () => {
    await emu.control("servicenow", "PUT", "/_emulator/cc", { hasImportRole: false });
    const checked = await testConnection(world.connection.id);
    expect(checked.steps.find((s) => s.id === "cc:import-set")).toMatchObject({ status: "failed", message: expect.stringContaining("import_set_loader") });
    const run = await syncNow(world.connection.id);
    expect(run.status).toBe("partial");
    expect(run.error).toContain("may not load import sets");

    await emu.control("servicenow", "PUT", "/_emulator/cc", { hasImportRole: true });
    const fixed = await syncNow(world.connection.id);
    expect(fixed.status, fixed.error ?? "").toBe("succeeded");
    expect((await resultOf(world.unhealthy[6]!.armId)).result).toBe("passed");
  });

  test("an ITSM-only user on a connection with CC: the run says the CC tables are refused", async () => {
    const { otherUsers } = emu.manifest.servicenow as unknown as { otherUsers: Array<{ username: string; password: string }> };
    const itsm = otherUsers.find((u) => u.username === "posturedesk.itsm")!;
    const other = await emulatorConnection(emu.manifest, { username: itsm.username, password: itsm.password, ccEnabled: true });
    const checked = await testConnection(other.id);
    expect(checked.steps.find((s) => s.id === "cc:import-set")).toMatchObject({ status: "failed", message: expect.stringContaining("Missing permission") });
    const run = await syncNow(other.id);
    expect(run.status).toBe("partial");
    expect(run.error).toMatch(/refused access to the Configuration Compliance tables|may not load import sets/);
  });
});
