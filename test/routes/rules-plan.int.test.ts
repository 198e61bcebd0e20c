// The rule planner against a real PostgreSQL: which findings each condition matches, which rule wins
// (lowest priority number among enabled rules), how findings are grouped into tickets, and the dry run
// (as if enabled, behind higher-priority rules, no side effects) through its routes.
import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { type TCreateRuleInput, type TDryRunResult, type TRuleDto } from "@/lib/schemas/rules";
import { call, signedInUser } from "@/test/app";
import { integrationSuite } from "@/test/integration";
import * as rulesRoute from "@/app/api/rules/route";
import * as dryRunRoute from "@/app/api/rules/[id]/dry-run/route";
import * as draftRoute from "@/app/api/rules/dry-run/route";
import { planRuleTickets } from "@/lib/rules/plan";
import {
  createFindings,
  createPlainConnection,
  createRecommendations,
  createTenant,
  SUB_A,
  SUB_B,
  type TestFinding,
  ticketFindings,
} from "@/lib/rules/testing";

integrationSuite({ emulators: "none" });
let admin: string;

const REC_VM = {
  key: "rec-vm-0001",
  displayName: "Machines should have vulnerability findings resolved",
  severity: "High" as const,
  categories: ["Compute"],
};
const REC_SQL = {
  key: "rec-sql-0002",
  displayName: "SQL servers should have auditing enabled",
  severity: "Medium" as const,
  categories: ["Data"],
};
const REC_NET = {
  key: "rec-net-0003",
  displayName: "Management ports should be closed",
  severity: "Low" as const,
  categories: ["Networking", "Compute"],
};

async function rule(input: Omit<TCreateRuleInput, "connectionId">, connectionId: string): Promise<TRuleDto> {
  const res = await call(rulesRoute.POST, "POST", "/api/rules", { body: { ...input, connectionId }, cookie: admin });
  expect(res.status).toBe(201);
  return (await res.json()) as TRuleDto;
}

async function dryRun(
  id: string,
  query: Record<string, string> = {},
): Promise<{ status: number; body: TDryRunResult & { detail?: string } }> {
  const res = await call(dryRunRoute.POST, "POST", `/api/rules/${id}/dry-run`, { params: { id }, query, cookie: admin });
  return { status: res.status, body: await res.json() };
}

/** Counts of every table a dry run must not touch. */
async function sideEffectCounts() {
  return {
    tickets: await db().ticket.count(),
    links: await db().ticketLink.count(),
    audit: await db().auditLog.count(),
    runs: await db().syncRun.count(),
    events: await db().syncEvent.count(),
    governance: await db().governanceAssignment.count(),
    rules: await db().automationRule.findMany({
      orderBy: { id: "asc" },
      select: { id: true, enabled: true, priority: true, updatedAt: true },
    }),
  };
}

/** Findings in a tenant of their own, every other tenant archived: the planner sees every tenant's findings. */
async function soleTenantFindings(name: string, findings: TestFinding[]): Promise<string[]> {
  await db().azureTenant.updateMany({ data: { deletedAt: new Date() } });
  return createFindings(await createTenant(name), findings);
}

/** A connection with findings of its own world: the planner sees every tenant's findings. */
async function world() {
  const connectionId = await createPlainConnection({ defaultAssignmentGroup: "Default Group" });
  return { connectionId };
}

beforeAll(async () => {
  admin = (await signedInUser("ADMIN")).cookie;
  await createRecommendations([REC_VM, REC_SQL, REC_NET]);
});
describe("planRuleTickets – conditions", () => {
  let ids: Record<string, string>;
  let connectionId: string;

  beforeAll(async () => {
    // A separate tenant per describe: findings of other tests must not leak into these counts.
    const names = ["vmProd", "vmDev", "sqlProd", "netB", "healthy", "removed", "ticketed", "noRg", "ownerless"];
    const found = await soleTenantFindings("Conditions", [
      { recommendationKey: REC_VM.key, resourceGroup: "RG-Prod", tags: { env: "prod", owner: "ada@contoso.example" } },
      { recommendationKey: REC_VM.key, resourceGroup: "rg-dev", tags: { env: "dev" } },
      { recommendationKey: REC_SQL.key, resourceGroup: "rg-prod", tags: { env: "prod", owner: "ari@contoso.example" } },
      { recommendationKey: REC_NET.key, subscriptionId: SUB_B, resourceGroup: "rg-net", tags: { env: "prod" } },
      { recommendationKey: REC_VM.key, status: "Healthy", tags: { env: "prod" } },
      { recommendationKey: REC_VM.key, isRemoved: true, tags: { env: "prod" } },
      { recommendationKey: REC_VM.key, resourceGroup: "rg-prod", tags: { env: "prod" } },
      { recommendationKey: REC_SQL.key, resourceGroup: null, tags: { owner: "ari@contoso.example" } },
      { recommendationKey: REC_NET.key, resourceGroup: "rg-net", tags: { Env: "prod" } },
    ]);
    ids = Object.fromEntries(names.map((n, i) => [n, found[i]!]));
    ({ connectionId } = await world());
    await ticketFindings(connectionId, [ids.ticketed!]);
    // An active ticket on ANOTHER connection does not stop this connection's rules.
    await ticketFindings(await createPlainConnection(), [ids.vmDev!]);
  });

  const matched = async (conditions: TCreateRuleInput["conditions"]) => {
    const r = await rule({ name: `c-${crypto.randomUUID().slice(0, 6)}`, enabled: true, conditions }, connectionId);
    const plan = await planRuleTickets({ connectionId, ruleIds: [r.id] });
    await db().automationRule.update({ where: { id: r.id }, data: { enabled: false } });
    const names = Object.entries(ids)
      .filter(([, id]) => plan.some((t) => t.findingIds.includes(id)))
      .map(([n]) => n);
    return names.sort();
  };

  test("no condition matches every unhealthy, reported finding without a ticket on this connection", async () => {
    expect(await matched({})).toEqual(["netB", "noRg", "ownerless", "sqlProd", "vmDev", "vmProd"]);
  });

  test("each condition restricts; values inside a condition are alternatives; conditions combine with AND", async () => {
    expect(await matched({ severities: ["High"] })).toEqual(["vmDev", "vmProd"]);
    expect(await matched({ severities: ["High", "Low"] })).toEqual(["netB", "ownerless", "vmDev", "vmProd"]);
    expect(await matched({ recommendationKeys: [REC_SQL.key.toUpperCase()] })).toEqual(["noRg", "sqlProd"]);
    expect(await matched({ categories: ["compute"] })).toEqual(["netB", "ownerless", "vmDev", "vmProd"]);
    expect(await matched({ subscriptionIds: [SUB_B.toUpperCase()] })).toEqual(["netB"]);
    expect(await matched({ resourceGroups: ["rg-PROD"] })).toEqual(["sqlProd", "vmProd"]);
    expect(await matched({ tags: [{ key: "env", value: "prod" }] })).toEqual(["netB", "sqlProd", "vmProd"]);
    expect(await matched({ tags: [{ key: "owner" }] })).toEqual(["noRg", "sqlProd", "vmProd"]);
    expect(await matched({ tags: [{ key: "env", value: "prod" }, { key: "owner" }] })).toEqual(["sqlProd", "vmProd"]);
    expect(await matched({ severities: ["High"], resourceGroups: ["rg-prod"] })).toEqual(["vmProd"]);
    expect(await matched({ severities: ["Medium"], subscriptionIds: [SUB_B] })).toEqual([]);
  });

  test("only findings of the given ids are planned when the engine asks for some", async () => {
    const r = await rule({ name: "by-id", enabled: true }, connectionId);
    const plan = await planRuleTickets({ connectionId, findingIds: [ids.vmProd!, ids.healthy!, ids.ticketed!] });
    expect(plan.flatMap((t) => t.findingIds)).toEqual([ids.vmProd]);
    expect(await planRuleTickets({ connectionId, findingIds: [] })).toEqual([]);
    await db().automationRule.update({ where: { id: r.id }, data: { enabled: false } });
  });

  test("an archived connection, or one with ITSM off, plans nothing", async () => {
    const archived = await createPlainConnection();
    await rule({ name: "on archived", enabled: true }, archived);
    await db().serviceNowConnection.update({ where: { id: archived }, data: { deletedAt: new Date() } });
    expect(await planRuleTickets({ connectionId: archived })).toEqual([]);
    expect(await planRuleTickets({ connectionId: crypto.randomUUID() })).toEqual([]);
  });
});

describe("planRuleTickets – priority and grouping", () => {
  let connectionId: string;
  let f: string[];

  beforeAll(async () => {
    f = await soleTenantFindings("Grouping", [
      { recommendationKey: REC_VM.key, resourceGroup: "rg-a", tags: { owner: "ada@contoso.example" } },
      { recommendationKey: REC_VM.key, resourceGroup: "rg-a", tags: { owner: "ari@contoso.example" } },
      { recommendationKey: REC_VM.key, resourceGroup: "rg-b", tags: { owner: "ari@contoso.example" } },
      { recommendationKey: REC_SQL.key, resourceGroup: "rg-a" },
      { recommendationKey: REC_SQL.key, resourceGroup: "RG-B", subscriptionId: SUB_B },
      { recommendationKey: REC_NET.key, resourceGroup: "rg-b" },
    ]);
    ({ connectionId } = await world());
  });

  test("the enabled rule with the lowest number takes a finding; disabled rules take nothing", async () => {
    const broad = await rule({ name: "Broad", priority: 50, enabled: true, action: { grouping: "per_recommendation" } }, connectionId);
    const high = await rule(
      {
        name: "High only",
        priority: 10,
        enabled: true,
        conditions: { severities: ["High"] },
        action: { grouping: "per_resource_group", ownerSource: "tag", ownerValue: "owner", table: "problem" },
      },
      connectionId,
    );
    await rule({ name: "Disabled first", priority: 1, enabled: false }, connectionId);
    const plan = await planRuleTickets({ connectionId, now: new Date("2026-11-30T00:00:00Z") });
    expect(plan.map((t) => [t.ruleName, t.groupKey, t.findingIds])).toEqual([
      ["High only", `resource-group:${SUB_A}/rg-a`, [f[0], f[1]]],
      ["High only", `resource-group:${SUB_A}/rg-b`, [f[2]]],
      ["Broad", `recommendation:${REC_NET.key}`, [f[5]]],
      ["Broad", `recommendation:${REC_SQL.key}`, [f[3], f[4]]],
    ]);
    const [rgA] = plan;
    expect(rgA).toMatchObject({
      table: "problem",
      grouping: "per_resource_group",
      severity: "High",
      priority: 2, // High → impact 1 × urgency 2 in the default mapping
      findingCount: 2,
      resourceGroup: "rg-a",
      subscriptionId: SUB_A,
      // Two owners, one finding each: the alphabetically first of the most frequent.
      owner: "ada@contoso.example",
      assignmentGroup: "Default Group",
      remediationDays: 30,
      dueDate: "2026-12-30T00:00:00.000Z",
      shortDescription: `Defender for Cloud: ${REC_VM.displayName} – 2 resources`,
      recommendations: [{ key: REC_VM.key, displayName: REC_VM.displayName }],
    });
    expect(plan[1]!.owner).toBe("ari@contoso.example");
    expect(plan[3]!.shortDescription).toBe(`Defender for Cloud: ${REC_SQL.displayName} – 2 resources`);
    // A group that spans subscriptions names none.
    expect(plan[3]!.subscriptionId).toBeNull();

    // Only one rule's tickets, the others still taking their findings first.
    expect((await planRuleTickets({ connectionId, ruleIds: [broad.id] })).map((t) => t.groupKey)).toEqual([
      `recommendation:${REC_NET.key}`,
      `recommendation:${REC_SQL.key}`,
    ]);

    // Swapping priorities moves the High findings to the broad rule.
    await db().automationRule.update({ where: { id: high.id }, data: { priority: 60 } });
    const swapped = await planRuleTickets({ connectionId });
    expect(swapped.every((t) => t.ruleId === broad.id)).toBe(true);
    expect(swapped.find((t) => t.groupKey === `recommendation:${REC_VM.key}`)!.findingIds).toEqual([f[0], f[1], f[2]]);
    await db().automationRule.updateMany({ where: { connectionId }, data: { enabled: false } });
  });

  test("per finding: one ticket each, named after the resource; a fixed owner applies to all", async () => {
    await rule(
      {
        name: "Per finding",
        enabled: true,
        conditions: { recommendationKeys: [REC_SQL.key] },
        action: { ownerSource: "fixed", ownerValue: "soc@contoso.example", assignmentGroup: "DB Team" },
      },
      connectionId,
    );
    const plan = await planRuleTickets({ connectionId });
    expect(plan.map((t) => t.groupKey)).toEqual([`finding:${f[3]}`, `finding:${f[4]}`].sort());
    expect(plan.every((t) => t.findingCount === 1 && t.owner === "soc@contoso.example" && t.assignmentGroup === "DB Team")).toBe(true);
    const findingRow = await db().finding.findUniqueOrThrow({ where: { id: plan[0]!.findingIds[0]! } });
    expect(plan[0]!.shortDescription).toBe(`Defender for Cloud: ${REC_SQL.displayName} – ${findingRow.resourceName}`);
    await db().automationRule.updateMany({ where: { connectionId }, data: { enabled: false } });
  });

  test("a group larger than 500 findings is cut into parts in ARM id order", async () => {
    const many = await soleTenantFindings(
      "Large",
      Array.from({ length: 1_201 }, () => ({ recommendationKey: REC_NET.key })),
    );
    const big = await createPlainConnection();
    await rule({ name: "Big", enabled: true, action: { grouping: "per_recommendation" } }, big);
    const plan = await planRuleTickets({ connectionId: big });
    expect(plan.map((t) => [t.groupKey, t.findingCount])).toEqual([
      [`recommendation:${REC_NET.key}#1`, 500],
      [`recommendation:${REC_NET.key}#2`, 500],
      [`recommendation:${REC_NET.key}#3`, 201],
    ]);
    expect(plan.flatMap((t) => t.findingIds)).toEqual(many);
  });
});

describe("POST /api/rules/{id}/dry-run and /api/rules/dry-run", () => {
  let connectionId: string;
  let f: string[];

  beforeAll(async () => {
    f = await soleTenantFindings("Dry run", [
      { recommendationKey: REC_VM.key },
      { recommendationKey: REC_VM.key },
      { recommendationKey: REC_SQL.key },
      { recommendationKey: REC_SQL.key },
      { recommendationKey: REC_NET.key },
    ]);
    ({ connectionId } = await world());
    await ticketFindings(connectionId, [f[4]!]);
  });

  test("shows a disabled rule's tickets as if enabled, behind an enabled higher-priority rule, with a summary, and changes nothing", async () => {
    const first = await rule(
      { name: "VM first", priority: 5, enabled: true, conditions: { recommendationKeys: [REC_VM.key] } },
      connectionId,
    );
    await rule({ name: "Disabled, earlier", priority: 6, enabled: false, conditions: { recommendationKeys: [REC_SQL.key] } }, connectionId);
    const candidate = await rule(
      { name: "Everything per recommendation", priority: 20, action: { grouping: "per_recommendation" } },
      connectionId,
    );
    const before = await sideEffectCounts();
    const res = await dryRun(candidate.id);
    expect(res.status).toBe(200);
    expect(res.body.rule).toEqual({ id: candidate.id, name: "Everything per recommendation", priority: 20, enabled: false });
    expect(res.body.summary).toEqual({
      tickets: 1,
      findings: 2,
      matched: 5,
      alreadyTicketed: 1,
      takenByHigherPriority: [{ ruleId: first.id, name: "VM first", priority: 5, findings: 2 }],
    });
    expect(res.body.items.map((t) => [t.groupKey, t.findingIds])).toEqual([[`recommendation:${REC_SQL.key}`, [f[2], f[3]]]]);
    expect(res.body.total).toBe(1);
    expect(await sideEffectCounts()).toEqual(before);
  });

  test("pages the planned tickets", async () => {
    const perFinding = await rule({ name: "Per finding everything", priority: 30 }, connectionId);
    const page1 = await dryRun(perFinding.id, { page: "1", pageSize: "1" });
    const page2 = await dryRun(perFinding.id, { page: "2", pageSize: "1" });
    expect(page1.body.total).toBe(2);
    expect(page1.body.items).toHaveLength(1);
    expect(page2.body.items).toHaveLength(1);
    expect(page1.body.items[0]!.groupKey).not.toBe(page2.body.items[0]!.groupKey);
    expect((await dryRun(perFinding.id, { pageSize: "501" })).status).toBe(422);
  });

  test("a draft from the form plans the same as the saved rule; edits of a saved rule replace it", async () => {
    const draft = {
      name: "Draft SQL",
      connectionId,
      priority: 25,
      conditions: { recommendationKeys: [REC_SQL.key] },
      action: { grouping: "per_recommendation" as const },
    };
    const res = await call(draftRoute.POST, "POST", "/api/rules/dry-run", { body: draft, cookie: admin });
    expect(res.status).toBe(200);
    const body = (await res.json()) as TDryRunResult;
    expect(body.rule.id).toBeNull();
    const { connectionId: _same, ...input } = draft;
    const saved = await rule(input, connectionId);
    const savedRun = await dryRun(saved.id);
    expect(body.items.map((t) => t.findingIds)).toEqual(savedRun.body.items.map((t) => t.findingIds));
    expect(body.summary).toEqual(savedRun.body.summary);

    const edited = await call(draftRoute.POST, "POST", "/api/rules/dry-run", {
      body: { ...draft, ruleId: saved.id, action: { grouping: "per_finding" } },
      cookie: admin,
    });
    const editedBody = (await edited.json()) as TDryRunResult;
    expect(editedBody.rule.id).toBe(saved.id);
    expect(editedBody.items.map((t) => t.findingIds[0]).sort()).toEqual([f[2], f[3]].sort());
    expect(editedBody.items.every((t) => t.grouping === "per_finding")).toBe(true);
  });

  test("answers 404 for an unknown or deleted rule, 409 for a connection that cannot take tickets, 422 for a bad draft", async () => {
    expect((await dryRun(crypto.randomUUID())).status).toBe(404);
    const gone = await rule({ name: "Gone" }, connectionId);
    await db().automationRule.update({ where: { id: gone.id }, data: { deletedAt: new Date(), priority: -100 } });
    expect((await dryRun(gone.id)).status).toBe(404);
    const off = await createPlainConnection({ itsmEnabled: false });
    const offRule = await rule({ name: "Off" }, off);
    const offRun = await dryRun(offRule.id);
    expect(offRun.status).toBe(409);
    expect(offRun.body.detail).toContain("ITSM module is disabled");
    const bad = await call(draftRoute.POST, "POST", "/api/rules/dry-run", {
      body: { name: "x", connectionId: crypto.randomUUID() },
      cookie: admin,
    });
    expect(bad.status).toBe(422);
    const invalid = await db().automationRule.create({
      data: { name: "Broken", priority: 99, connectionId, conditions: { severities: "High" } },
    });
    expect((await dryRun(invalid.id)).status).toBe(409);
  });
});
