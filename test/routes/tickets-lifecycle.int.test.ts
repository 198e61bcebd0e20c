// Ticket creation against the ServiceNow emulator's documented lifecycle contracts (docs/EMULATORS.md,
// "Contract: ticket lifecycle"): change requests through the Change Management API (sn_chg_rest) —
// normal, emergency, standard from a template — with the Table API only when the plugin is absent, and
// configuration items looked up by object_id (batched, case-insensitive) on the tickets.
import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { type TConnectionTestResult } from "@/lib/schemas/connections";
import { type TChangeTemplates, type TCreatedTicket } from "@/lib/schemas/tickets";
import { call, signedInUser } from "@/test/app";
import { findingsWorldSuite } from "@/test/integration";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as templatesRoute from "@/app/api/connections/[id]/change-templates/route";
import * as testRoute from "@/app/api/connections/[id]/test/route";
import { type SeededWorld, ticketBody } from "@/lib/tickets/testing";

const suite = findingsWorldSuite({
  emulators: "private",
  connection: { defaultAssignmentGroup: "Cloud Security Operations" },
  timeoutMs: 120_000,
});
let analyst: string;
let manager: string;
const used = new Set<string>();

type SnRecord = Record<string, string>;
type Ci = { sys_id: string; object_id: string; name: string };
let cis: Ci[] = [];

const ciOf = (resourceId: string) => cis.find((c) => c.object_id.toLowerCase() === resourceId.toLowerCase());

/** Unhealthy findings not used yet, on distinct resources, matching a condition. */
function pick(n: number, where: (f: SeededWorld["unhealthy"][number]) => boolean) {
  const resources = new Set<string>();
  const out: SeededWorld["unhealthy"] = [];
  for (const f of suite.world.unhealthy) {
    if (out.length === n) break;
    if (used.has(f.id) || resources.has(f.resourceId.toLowerCase()) || !where(f)) continue;
    resources.add(f.resourceId.toLowerCase());
    out.push(f);
  }
  expect(out).toHaveLength(n);
  for (const f of out) used.add(f.id);
  return out;
}

/**
 * Findings whose resource has no CI. The emulated Defender CC integration creates a CI for every
 * resource it reports (as ServiceNow's IRE does), so a resource discovery has not reached is made by
 * removing its CI.
 */
async function pickWithoutCi(n: number) {
  const out = pick(n, (f) => ciOf(f.resourceId) !== undefined);
  for (const f of out) {
    const ci = ciOf(f.resourceId)!;
    const res = await suite.emu.control("servicenow", "DELETE", `/_emulator/records/cmdb_ci/${ci.sys_id}`);
    expect(res.status).toBe(204);
    cis = cis.filter((c) => c.sys_id !== ci.sys_id);
  }
  return out;
}

type Journal = Array<{ element: string; value: string }>;
async function snRecord(table: string, sysId: string): Promise<SnRecord & { journal: Journal }> {
  const r = await suite.emu.control<{ result: SnRecord; journal: Journal }>("servicenow", "GET", `/_emulator/records/${table}/${sysId}`);
  expect(r.status).toBe(200);
  return Object.assign({}, r.body.result, { journal: r.body.journal }) as SnRecord & { journal: Journal };
}
async function snRecords(table: string, query: string): Promise<SnRecord[]> {
  const r = await suite.emu.control<{ result: SnRecord[] }>(
    "servicenow",
    "GET",
    `/_emulator/records/${table}?sysparm_query=${encodeURIComponent(query)}&limit=10000`,
  );
  return r.body.result;
}
async function requests(method: string, route: string): Promise<number> {
  const r = await suite.emu.control<{ total: number }>(
    "servicenow",
    "GET",
    `/_emulator/counters?${new URLSearchParams({ emulator: "servicenow", method, route })}`,
  );
  return r.body.total;
}
async function post(body: unknown) {
  const res = await call(ticketsRoute.POST, "POST", "/api/tickets", { body, cookie: analyst });
  return {
    status: res.status,
    body: (await res.json()) as { tickets: TCreatedTicket[]; errors?: Array<{ path: string; message: string }> },
  };
}
async function templates(cookie = analyst) {
  const res = await call(templatesRoute.GET, "GET", `/api/connections/${suite.connection.id}/change-templates`, {
    params: { id: suite.connection.id },
    cookie,
  });
  return { status: res.status, body: (await res.json()) as TChangeTemplates };
}
async function setChangeApi(installed: boolean) {
  expect((await suite.emu.control("servicenow", "PUT", "/_emulator/change-api", { installed })).status).toBe(200);
}
const rowOf = (t: TCreatedTicket) => db().ticket.findUniqueOrThrow({ where: { id: t.id } });

beforeAll(async () => {
  analyst = (await signedInUser("ANALYST")).cookie;
  manager = (await signedInUser("MANAGER")).cookie;
  cis = (await snRecords("cmdb_ci", "object_idISNOTEMPTY")) as Ci[];
}, 120_000);

describe("change requests through the Change Management API (sn_chg_rest)", () => {
  test("GET /api/connections/{id}/change-templates lists the instance's standard change templates (analyst; manager 403)", async () => {
    const res = await templates();
    expect(res.status).toBe(200);
    expect(res.body.isChangeApiInstalled).toBe(true);
    expect(res.body.items.map((t) => t.name)).toEqual([
      "Apply Azure security baseline configuration",
      "Rotate or renew a secret, key or certificate",
    ]);
    expect(res.body.items.every((t) => /^[0-9a-f]{32}$/.test(t.sysId))).toBe(true);
    expect((await templates(manager)).status).toBe(403);
  });

  test("normal and emergency changes are created by their sn_chg_rest endpoints, never the Table API", async () => {
    await suite.emu.control("servicenow", "POST", "/_emulator/counters/reset");
    for (const changeType of ["normal", "emergency"] as const) {
      const [f] = pick(1, () => true);
      const res = await post({
        connectionId: suite.connection.id,
        type: "change_request",
        changeType,
        findingIds: [f!.id],
        shortDescription: `A ${changeType} change`,
      });
      expect(res.status).toBe(201);
      expect(res.body.tickets[0]!.warnings).toBeUndefined();
      const row = await rowOf(res.body.tickets[0]!);
      const record = await snRecord("change_request", row.sysId);
      expect(record).toMatchObject({ type: changeType, chg_model: changeType, state: "-5", short_description: `A ${changeType} change` });
      expect(record.correlation_id).toBe(row.correlationId);
      expect(row.changeType).toBe(changeType);
    }
    expect(await requests("POST", "/api/sn_chg_rest/change/normal")).toBe(1);
    expect(await requests("POST", "/api/sn_chg_rest/change/emergency")).toBe(1);
    expect(await requests("POST", "/api/now/table/:table")).toBe(0);
  });

  test("a standard change from the picked template: the template's plans, our text in a work note; without a template 422", async () => {
    const { body } = await templates();
    const template = body.items[0]!;
    const [f, g] = pick(2, () => true);
    const res = await post({
      connectionId: suite.connection.id,
      type: "change_request",
      changeType: "standard",
      standardTemplateId: template.sysId,
      findingIds: [f!.id],
    });
    expect(res.status).toBe(201);
    const row = await rowOf(res.body.tickets[0]!);
    const record = await snRecord("change_request", row.sysId);
    expect(record).toMatchObject({ type: "standard", chg_model: "standard", std_change_producer_version: template.sysId });
    expect(record.implementation_plan).toMatch(/Apply the setting/);
    expect(record.description).toMatch(/^Pre-approved/);
    expect(record.journal.some((j) => j.element === "work_notes" && j.value.includes(f!.resourceName))).toBe(true);

    const missing = await post({ connectionId: suite.connection.id, type: "change_request", changeType: "standard", findingIds: [g!.id] });
    expect(missing.status).toBe(422);
    expect(missing.body.errors?.[0]?.path).toBe("body.standardTemplateId");
    const unknown = await post({
      connectionId: suite.connection.id,
      type: "change_request",
      changeType: "standard",
      standardTemplateId: "f".repeat(32),
      findingIds: [g!.id],
    });
    expect(unknown.status).toBe(422);
    const misplaced = await post({
      connectionId: suite.connection.id,
      type: "incident",
      standardTemplateId: template.sysId,
      findingIds: [g!.id],
    });
    expect(misplaced.status).toBe(422);
  });

  test("fields the instance ignores (__meta.ignoredFields) come back as a warning on the created ticket", async () => {
    await suite.emu.control("servicenow", "PUT", "/_emulator/ignored-writes", {
      rules: [
        { table: "problem", field: "state" },
        { table: "change_request", field: "due_date" },
      ],
    });
    try {
      const [f] = pick(1, () => true);
      const res = await post({ connectionId: suite.connection.id, type: "change_request", changeType: "normal", findingIds: [f!.id] });
      expect(res.status).toBe(201);
      expect(res.body.tickets[0]!.warnings).toEqual(["ServiceNow ignored the field due_date (unknown or read-only on this instance)."]);
      const audit = await db().auditLog.findFirstOrThrow({ where: { action: "ticket.create", targetId: res.body.tickets[0]!.id } });
      expect(JSON.stringify(audit.after)).toContain("due_date");
    } finally {
      await suite.emu.control("servicenow", "PUT", "/_emulator/ignored-writes", { rules: [{ table: "problem", field: "state" }] });
    }
  });

  test("plugin absent (404): the change is created through the Table API with a warning, and Test connection says so", async () => {
    await setChangeApi(false);
    try {
      expect((await templates()).body).toEqual({ isChangeApiInstalled: false, items: [] });
      const [f] = pick(1, () => true);
      await suite.emu.control("servicenow", "POST", "/_emulator/counters/reset");
      const res = await post({ connectionId: suite.connection.id, type: "change_request", changeType: "emergency", findingIds: [f!.id] });
      expect(res.status).toBe(201);
      expect(res.body.tickets[0]!.warnings?.[0]).toMatch(/Table API: the Change Management API \(plugin sn_chg_rest\) is not installed/);
      expect(await requests("POST", "/api/now/table/:table")).toBe(1);
      const record = await snRecord("change_request", (await rowOf(res.body.tickets[0]!)).sysId);
      expect(record.type).toBe("emergency");

      const tested = await call(testRoute.POST, "POST", `/api/connections/${suite.connection.id}/test`, {
        params: { id: suite.connection.id },
        cookie: analyst,
      });
      const step = ((await tested.json()) as TConnectionTestResult).steps.find((s) => s.id === "change-api");
      expect(step).toMatchObject({ status: "warning", message: expect.stringContaining("created through the Table API") });
    } finally {
      await setChangeApi(true);
    }
    const tested = await call(testRoute.POST, "POST", `/api/connections/${suite.connection.id}/test`, {
      params: { id: suite.connection.id },
      cookie: analyst,
    });
    expect(((await tested.json()) as TConnectionTestResult).steps.find((s) => s.id === "change-api")).toMatchObject({
      status: "ok",
      message: expect.stringContaining("2 standard change templates"),
    });
  });
});

describe("configuration items (cmdb_ci.object_id = Azure resource id)", () => {
  test("a single-resource ticket gets its CI in cmdb_ci, also when discovery recorded the id in another casing", async () => {
    const [exact] = pick(1, (f) => ciOf(f.resourceId)?.object_id === f.resourceId);
    const [cased] = pick(1, (f) => {
      const ci = ciOf(f.resourceId);
      return ci !== undefined && ci.object_id !== f.resourceId;
    });
    for (const f of [exact!, cased!]) {
      const res = await post({ connectionId: suite.connection.id, type: "incident", findingIds: [f.id] });
      expect(res.status).toBe(201);
      const record = await snRecord("incident", (await rowOf(res.body.tickets[0]!)).sysId);
      expect(record.cmdb_ci).toBe(ciOf(f.resourceId)!.sys_id);
    }
    const [undiscovered] = await pickWithoutCi(1);
    const res = await post({ connectionId: suite.connection.id, type: "problem", findingIds: [undiscovered!.id] });
    expect(res.status).toBe(201);
    expect((await snRecord("problem", (await rowOf(res.body.tickets[0]!)).sysId)).cmdb_ci).toBe("");
  });

  test("a multi-resource ticket lists its CIs as affected CIs (task_ci), no cmdb_ci; a repeat adds none", async () => {
    // The resource without a CI first: its CI is removed before the three with one are picked.
    const without = await pickWithoutCi(1);
    const findings = [...pick(3, (f) => ciOf(f.resourceId) !== undefined), ...without];
    const body = { connectionId: suite.connection.id, type: "incident", findingIds: findings.map((f) => f.id) };
    const res = await post(body);
    expect(res.status).toBe(201);
    const row = await rowOf(res.body.tickets[0]!);
    expect((await snRecord("incident", row.sysId)).cmdb_ci).toBe("");
    const affected = await snRecords("task_ci", `task=${row.sysId}`);
    expect(affected.map((r) => r.ci_item).sort()).toEqual(
      findings
        .slice(0, 3)
        .map((f) => ciOf(f.resourceId)!.sys_id)
        .sort(),
    );
    expect((await post(body)).status).toBe(200);
    expect(await snRecords("task_ci", `task=${row.sysId}`)).toHaveLength(3);
  });

  test("CIs are looked up in batches (object_idIN…), not one request per resource", async () => {
    const findings = pick(12, (f) => ciOf(f.resourceId) !== undefined);
    await suite.emu.control("servicenow", "POST", "/_emulator/counters/reset");
    const res = await post(ticketBody(suite.connection.id, "incident", findings, "per-finding"));
    expect(res.status).toBe(201);
    expect(res.body.tickets).toHaveLength(12);
    for (const t of res.body.tickets) {
      const f = findings.find((x) => x.id === t.findingIds[0])!;
      expect((await snRecord("incident", (await rowOf(t)).sysId)).cmdb_ci).toBe(ciOf(f.resourceId)!.sys_id);
    }
    // 12 correlation lookups + the group lookup + one CMDB query; one query per resource would be 12 more.
    expect(await requests("GET", "/api/now/table/:table")).toBeLessThanOrEqual(12 + 3);
  });
});
