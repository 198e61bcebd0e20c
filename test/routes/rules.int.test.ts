// /api/rules against a real PostgreSQL: create, change, enable/disable, reorder and delete, with the
// priority rules (unique per connection, deleted rules give their number back, reorder is atomic), the
// audit trail, and the bad paths an admin can hit (clear 4xx, database unchanged).
import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { type TRuleDto } from "@/lib/schemas/rules";
import { call, signedInUser } from "@/test/app";
import { integrationSuite } from "@/test/integration";
import * as rulesRoute from "@/app/api/rules/route";
import * as ruleRoute from "@/app/api/rules/[id]/route";
import * as reorderRoute from "@/app/api/rules/reorder/route";
import { createPlainConnection, createTenant, SUB_A } from "@/lib/rules/testing";

integrationSuite({ emulators: "none" });
let admin: string;
let manager: string;

type Answer<T = TRuleDto> = { status: number; body: T & { detail?: string; errors?: Array<{ path: string; message: string }> } };

async function create(body: unknown, cookie = admin): Promise<Answer> {
  const res = await call(rulesRoute.POST, "POST", "/api/rules", { body, cookie });
  return { status: res.status, body: await res.json() };
}
async function patch(id: string, body: unknown, cookie = admin): Promise<Answer> {
  const res = await call(ruleRoute.PATCH, "PATCH", `/api/rules/${id}`, { params: { id }, body, cookie });
  return { status: res.status, body: await res.json() };
}
async function remove(id: string): Promise<number> {
  return (await call(ruleRoute.DELETE, "DELETE", `/api/rules/${id}`, { params: { id }, cookie: admin })).status;
}
async function list(query: Record<string, string>, cookie = admin): Promise<Answer<{ items: TRuleDto[]; total: number }>> {
  const res = await call(rulesRoute.GET, "GET", "/api/rules", { query, cookie });
  return { status: res.status, body: await res.json() };
}
async function reorder(body: unknown): Promise<Answer<{ items: TRuleDto[] }>> {
  const res = await call(reorderRoute.POST, "POST", "/api/rules/reorder", { body, cookie: admin });
  return { status: res.status, body: await res.json() };
}
async function priorities(connectionId: string): Promise<Array<[string, number]>> {
  const rows = await db().automationRule.findMany({
    where: { connectionId, deletedAt: null },
    orderBy: { priority: "asc" },
    select: { name: true, priority: true },
  });
  return rows.map((r) => [r.name, r.priority]);
}
const auditOf = (targetId: string) => db().auditLog.findMany({ where: { targetId }, orderBy: { id: "asc" } });

beforeAll(async () => {
  admin = (await signedInUser("ADMIN", "Ada Admin")).cookie;
  manager = (await signedInUser("MANAGER")).cookie;
});
describe("POST /api/rules", () => {
  test("creates a disabled rule after the connection's last one, with conditions and action, audited", async () => {
    const connectionId = await createPlainConnection();
    const action = {
      table: "problem",
      grouping: "per_recommendation",
      assignmentGroup: "Cloud Security Operations",
      ownerSource: "tag",
      ownerValue: "owner",
      remediationDays: 14,
      gracePeriod: true,
    };
    const first = await create({
      name: "High on production",
      connectionId,
      conditions: { severities: ["High"], resourceGroups: ["RG-Prod"], tags: [{ key: "env", value: "prod" }] },
      action,
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      name: "High on production",
      enabled: false,
      priority: 10,
      isValid: true,
      ticketCount: 0,
      connection: { id: connectionId, isArchived: false },
      conditions: {
        severities: ["High"],
        resourceGroups: ["rg-prod"],
        tags: [{ key: "env", value: "prod" }],
        recommendationKeys: [],
        categories: [],
        subscriptionIds: [],
      },
      // As sent, with the omitted change type filled in.
      action: { ...action, changeType: null },
    });
    const second = await create({ name: "Everything else", connectionId });
    expect(second.body.priority).toBe(20);
    const [entry] = await auditOf(first.body.id);
    expect(entry).toMatchObject({ action: "rule.create", targetType: "rule", actorName: "Ada Admin" });
    expect(entry!.after).toMatchObject({
      name: "High on production",
      priority: 10,
      enabled: false,
      action: { grouping: "per_recommendation" },
    });
  });

  test("refuses a priority or a name already used on the connection (409), and allows them on another connection", async () => {
    const connectionId = await createPlainConnection();
    const other = await createPlainConnection();
    const a = await create({ name: "A", connectionId, priority: 5 });
    expect(a.status).toBe(201);
    const clash = await create({ name: "B", connectionId, priority: 5 });
    expect(clash.status).toBe(409);
    expect(clash.body.detail).toContain('Priority 5 is already used by the rule "A"');
    const sameName = await create({ name: "a", connectionId });
    expect(sameName.status).toBe(409);
    expect((await create({ name: "A", connectionId: other, priority: 5 })).status).toBe(201);
    expect(await priorities(connectionId)).toEqual([["A", 5]]);
  });

  test("concurrent creations without a priority get distinct numbers", async () => {
    const connectionId = await createPlainConnection();
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => create({ name: `Rule ${i}`, connectionId })));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((a) => a.body.priority)).size).toBe(8);
    expect(answers.map((a) => a.body.priority).sort((x, y) => x - y)).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
  });

  test("answers 4xx for an unknown or archived connection, invalid conditions and invalid actions — nothing is stored", async () => {
    const before = await db().automationRule.count();
    const archived = await createPlainConnection({ isArchived: true });
    const noItsm = await createPlainConnection({ itsmEnabled: false });
    const cases: Array<[unknown, number, string?]> = [
      [{ name: "x", connectionId: crypto.randomUUID() }, 422, "body.connectionId"],
      [{ name: "x", connectionId: archived }, 409],
      [{ name: "x", connectionId: noItsm, enabled: true }, 409],
      [{ name: "x", connectionId: noItsm, conditions: { severities: ["Critical"] } }, 422, "body.conditions.severities.0"],
      [{ name: "x", connectionId: noItsm, conditions: { subscriptionIds: ["nope"] } }, 422, "body.conditions.subscriptionIds.0"],
      [{ name: "x", connectionId: noItsm, action: { ownerSource: "fixed" } }, 422, "body.action.ownerValue"],
      [{ name: "x", connectionId: noItsm, action: { table: "incident", changeType: "normal" } }, 422, "body.action.changeType"],
      [{ name: "", connectionId: noItsm }, 422, "body.name"],
    ];
    for (const [body, status, path] of cases) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      if (path) expect(res.body.errors?.map((e) => e.path)).toContain(path);
    }
    expect(await db().automationRule.count()).toBe(before);
  });

  test("subscriptions must be ingested ones: an unknown id is refused by name (422) on create and on change; ids already held stay", async () => {
    const connectionId = await createPlainConnection();
    const tenantId = await createTenant("Subscriptions tenant");
    await db().subscription.create({ data: { azureTenantId: tenantId, subscriptionId: SUB_A, displayName: "Contoso Production" } });
    const unknown = "ffffffff-0000-4000-8000-00000000abcd";
    const refused = await create({ name: "Unknown sub", connectionId, conditions: { subscriptionIds: [SUB_A, unknown.toUpperCase()] } });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      {
        path: "body.conditions.subscriptionIds",
        message: `Unknown subscription "${unknown}": not among the subscriptions ingested from Defender for Cloud`,
      },
    ]);
    expect(await db().automationRule.count({ where: { name: "Unknown sub" } })).toBe(0);

    const created = await create({ name: "Known sub", connectionId, conditions: { subscriptionIds: [SUB_A.toUpperCase()] } });
    expect(created.status).toBe(201);
    expect(created.body.conditions.subscriptionIds).toEqual([SUB_A]);
    const changed = await patch(created.body.id, { conditions: { subscriptionIds: [SUB_A, unknown] } });
    expect(changed.status).toBe(422);
    expect(changed.body.detail).toContain(unknown);
    // The subscription leaves PostureDesk: the rule may still be changed without dropping it at once.
    await db().subscription.deleteMany({ where: { azureTenantId: tenantId } });
    expect((await patch(created.body.id, { conditions: { subscriptionIds: [SUB_A], severities: ["High"] } })).status).toBe(200);
  });

  test("a manager may list rules but not create them", async () => {
    const connectionId = await createPlainConnection();
    await create({ name: "Visible", connectionId });
    const listed = await list({ connectionId }, manager);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((r) => r.name)).toEqual(["Visible"]);
    expect((await create({ name: "Nope", connectionId }, manager)).status).toBe(403);
  });
});

describe("PATCH /api/rules/{id}", () => {
  test("enabling and disabling are audited as rule.enable / rule.disable; other changes as rule.update with before and after", async () => {
    const connectionId = await createPlainConnection();
    const rule = (await create({ name: "Toggle me", connectionId })).body;
    expect((await patch(rule.id, { enabled: true })).body.enabled).toBe(true);
    expect((await patch(rule.id, { enabled: false })).body.enabled).toBe(false);
    const changed = await patch(rule.id, {
      name: "Renamed",
      conditions: { severities: ["Low"] },
      action: { grouping: "per_resource_group" },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      name: "Renamed",
      conditions: { severities: ["Low"] },
      action: { grouping: "per_resource_group", table: "incident" },
    });
    expect((await patch(rule.id, { enabled: false })).status).toBe(200); // no change: no audit entry
    const entries = await auditOf(rule.id);
    expect(entries.map((e) => e.action)).toEqual(["rule.create", "rule.enable", "rule.disable", "rule.update"]);
    expect(entries[3]!.before).toMatchObject({ name: "Toggle me", conditions: { severities: [] }, action: { grouping: "per_finding" } });
    expect(entries[3]!.after).toMatchObject({
      name: "Renamed",
      conditions: { severities: ["Low"] },
      action: { grouping: "per_resource_group" },
    });
  });

  test("merges the action field by field and checks the result", async () => {
    const connectionId = await createPlainConnection();
    const rule = (await create({ name: "Owner", connectionId, action: { ownerSource: "fixed", ownerValue: "ada@contoso.example" } })).body;
    const bad = await patch(rule.id, { action: { ownerSource: "tag", ownerValue: null } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors?.map((e) => e.path)).toContain("body.action.ownerValue");
    const good = await patch(rule.id, { action: { ownerSource: "tag", ownerValue: "owner" } });
    expect(good.body.action).toMatchObject({ ownerSource: "tag", ownerValue: "owner", grouping: "per_finding" });
  });

  test("refuses a priority held by another rule (409) and an unknown rule (404); moves a rule to another connection", async () => {
    const connectionId = await createPlainConnection();
    const other = await createPlainConnection();
    const a = (await create({ name: "A", connectionId })).body;
    const b = (await create({ name: "B", connectionId })).body;
    expect((await patch(b.id, { priority: a.priority })).status).toBe(409);
    expect((await patch(crypto.randomUUID(), { enabled: true })).status).toBe(404);
    expect((await patch(b.id, { priority: 15 })).body.priority).toBe(15);
    const moved = await patch(b.id, { connectionId: other });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ connection: { id: other }, priority: 10 });
    expect(await priorities(connectionId)).toEqual([["A", 10]]);
  });
});

describe("POST /api/rules/reorder", () => {
  test("hands the connection's numbers out in the new order, atomically, audited", async () => {
    const connectionId = await createPlainConnection();
    const [a, b, c] = [
      (await create({ name: "A", connectionId })).body,
      (await create({ name: "B", connectionId, priority: 25 })).body,
      (await create({ name: "C", connectionId })).body,
    ];
    const res = await reorder({ connectionId, ruleIds: [c.id, a.id, b.id] });
    expect(res.status).toBe(200);
    expect(res.body.items.map((r) => [r.name, r.priority])).toEqual([
      ["C", 10],
      ["A", 25],
      ["B", 35],
    ]);
    expect(await priorities(connectionId)).toEqual([
      ["C", 10],
      ["A", 25],
      ["B", 35],
    ]);
    const [entry] = await db().auditLog.findMany({ where: { action: "rule.reorder", targetId: connectionId } });
    expect(entry!.before).toEqual([
      { id: a.id, name: "A", priority: 10 },
      { id: b.id, name: "B", priority: 25 },
      { id: c.id, name: "C", priority: 35 },
    ]);
    expect(entry!.after).toEqual([
      { id: c.id, name: "C", priority: 10 },
      { id: a.id, name: "A", priority: 25 },
      { id: b.id, name: "B", priority: 35 },
    ]);
  });

  test("refuses an incomplete list (409) or a rule of another connection (422) and changes nothing", async () => {
    const connectionId = await createPlainConnection();
    const other = await createPlainConnection();
    const a = (await create({ name: "A", connectionId })).body;
    const b = (await create({ name: "B", connectionId })).body;
    const foreign = (await create({ name: "F", connectionId: other })).body;
    expect((await reorder({ connectionId, ruleIds: [b.id] })).status).toBe(409);
    expect((await reorder({ connectionId, ruleIds: [b.id, a.id, foreign.id] })).status).toBe(422);
    expect((await reorder({ connectionId, ruleIds: [b.id, b.id] })).status).toBe(422);
    expect(await priorities(connectionId)).toEqual([
      ["A", 10],
      ["B", 20],
    ]);
    expect(await db().auditLog.count({ where: { action: "rule.reorder", targetId: connectionId } })).toBe(0);
  });

  test("concurrent reorders of the same rules all succeed or fail cleanly, never leaving duplicate or shifted numbers", async () => {
    const connectionId = await createPlainConnection();
    const ids = [];
    for (const name of ["A", "B", "C", "D"]) ids.push((await create({ name, connectionId })).body.id);
    const orders = [[...ids].reverse(), ids, [ids[1]!, ids[0]!, ids[3]!, ids[2]!], [ids[2]!, ids[3]!, ids[0]!, ids[1]!]];
    const answers = await Promise.all(orders.map((ruleIds) => reorder({ connectionId, ruleIds })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const final = await priorities(connectionId);
    expect(final.map(([, p]) => p)).toEqual([10, 20, 30, 40]);
  });
});

describe("DELETE /api/rules/{id}", () => {
  test("hides the rule, parks its priority below zero so the number can be reused, and is idempotent", async () => {
    const connectionId = await createPlainConnection();
    const a = (await create({ name: "A", connectionId, enabled: true })).body;
    expect(await remove(a.id)).toBe(204);
    expect(await remove(a.id)).toBe(204);
    expect(await remove(crypto.randomUUID())).toBe(404);
    expect((await list({ connectionId })).body.items).toEqual([]);
    const row = await db().automationRule.findUniqueOrThrow({ where: { id: a.id } });
    expect(row).toMatchObject({ enabled: false, priority: -1 });
    expect(row.deletedAt).not.toBeNull();
    const again = await create({ name: "A", connectionId, priority: 10 });
    expect(again.status).toBe(201);
    expect(await remove(again.body.id)).toBe(204);
    expect((await db().automationRule.findUniqueOrThrow({ where: { id: again.body.id } })).priority).toBe(-2);
    expect((await patch(a.id, { enabled: true })).status).toBe(404);
    const entries = await auditOf(a.id);
    expect(entries.map((e) => e.action)).toEqual(["rule.create", "rule.delete"]);
    expect(entries[1]!.before).toMatchObject({ priority: 10, enabled: true });
  });
});
