// "Dry run equals real run", end to end: findings read from the ARM emulator, two rules on a connection
// to the ServiceNow emulator, the dry runs' tickets; then the sync engine's rule phase creates the
// tickets through the ticket service, and exactly those tickets exist — in our database and in
// ServiceNow — with the findings, table, text, owner and group the dry run showed. A second run creates
// nothing, and the run's history lists every created ticket.
import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { type TDryRunResult, type TPlannedTicketDto, type TRuleDto } from "@/lib/schemas/rules";
import { type TSyncEventDto } from "@/lib/schemas/sync-runs";
import { type TPage } from "@/lib/schemas/common";
import { applyRules } from "@/lib/sync/rules-phase";
import { call, signedInUser } from "@/test/app";
import { findingsWorldSuite } from "@/test/integration";
import * as rulesRoute from "@/app/api/rules/route";
import * as ruleRoute from "@/app/api/rules/[id]/route";
import * as dryRunRoute from "@/app/api/rules/[id]/dry-run/route";
import * as eventsRoute from "@/app/api/sync-runs/[id]/events/route";
import { planRuleTickets } from "@/lib/rules/plan";

// Its own emulators: the run writes tickets and Defender governance assignments for every matching finding,
// and a file creating tickets for the same findings on the shared set at the same time (create.int.test.ts)
// would see this file's assignments, and this file theirs.
const suite = findingsWorldSuite({
  emulators: "private",
  subscriptions: 1,
  connection: { defaultAssignmentGroup: "Cloud Security Operations" },
  timeoutMs: 180_000,
});
let admin: string;

async function createRule(body: unknown): Promise<TRuleDto> {
  const res = await call(rulesRoute.POST, "POST", "/api/rules", { body, cookie: admin });
  expect(res.status).toBe(201);
  return (await res.json()) as TRuleDto;
}

async function dryRunAll(id: string): Promise<TDryRunResult> {
  const res = await call(dryRunRoute.POST, "POST", `/api/rules/${id}/dry-run`, {
    params: { id },
    query: { pageSize: "500" },
    cookie: admin,
  });
  expect(res.status).toBe(200);
  return (await res.json()) as TDryRunResult;
}

/** What identifies a ticket whoever made it: rule, table, findings, text, assignee e-mail, group. */
type Shape = { ruleId: string; table: string; findingIds: string[]; shortDescription: string; owner: string | null; group: string | null };

const planShape = (t: TPlannedTicketDto): Shape => ({
  ruleId: t.ruleId,
  table: t.table,
  findingIds: [...t.findingIds].sort(),
  shortDescription: t.shortDescription,
  owner: t.owner,
  group: t.assignmentGroup,
});

async function ticketShapes(): Promise<Shape[]> {
  const tickets = await db().ticket.findMany({
    where: { connectionId: suite.connection.id, ruleId: { not: null } },
    include: { links: { where: { activeConnectionId: suite.connection.id } } },
  });
  return tickets.map((t) => ({
    ruleId: t.ruleId!,
    table: t.table,
    findingIds: t.links.map((l) => l.findingId).sort(),
    shortDescription: t.shortDescription,
    owner: t.assignedToEmail,
    group: t.assignmentGroupName,
  }));
}

const byKey = (a: Shape, b: Shape) => `${a.ruleId}${a.findingIds[0]}`.localeCompare(`${b.ruleId}${b.findingIds[0]}`);

async function newRun(): Promise<string> {
  return (
    await db().syncRun.create({
      data: { kind: "servicenow_sync", trigger: "manual", status: "running", connectionId: suite.connection.id, startedAt: new Date() },
    })
  ).id;
}

beforeAll(async () => {
  admin = (await signedInUser("ADMIN")).cookie;
  // Owners on some resources, as Azure tags carry them: people who exist in ServiceNow too.
  const [ada, ari] = suite.emu.manifest.users;
  const high = await db().finding.findMany({
    where: { id: { in: suite.world.unhealthy.map((f) => f.id) }, severity: "High" },
    orderBy: { armId: "asc" },
    select: { id: true },
  });
  expect(high.length).toBeGreaterThan(3);
  await db().finding.updateMany({
    where: { id: { in: high.slice(0, 2).map((f) => f.id) } },
    data: { tags: { owner: ada!.email, env: "prod" } },
  });
  await db().finding.updateMany({ where: { id: { in: high.slice(2, 3).map((f) => f.id) } }, data: { tags: { owner: ari!.email } } });
}, 180_000);

describe("dry run equals real run", () => {
  test("the engine's rule phase creates exactly the tickets the dry runs showed, once", async () => {
    const high = await createRule({
      name: "High per recommendation",
      connectionId: suite.connection.id,
      priority: 10,
      conditions: { severities: ["High"] },
      action: { table: "problem", grouping: "per_recommendation", ownerSource: "tag", ownerValue: "owner", remediationDays: 14 },
    });
    const medium = await createRule({
      name: "Medium per resource group",
      connectionId: suite.connection.id,
      priority: 20,
      conditions: { severities: ["Medium", "High"] },
      action: {
        table: "incident",
        grouping: "per_resource_group",
        assignmentGroup: "Platform Engineering",
        remediationDays: 45,
        gracePeriod: true,
      },
    });

    // Dry runs while both are disabled: the medium rule alone would also take High findings.
    const mediumAlone = await dryRunAll(medium.id);
    expect(mediumAlone.summary.takenByHigherPriority).toEqual([]);
    const highRun = await dryRunAll(high.id);
    expect(highRun.summary.tickets).toBeGreaterThan(0);

    // Enable the high rule: the medium rule's dry run now leaves the High findings to it.
    expect(
      (await call(ruleRoute.PATCH, "PATCH", `/api/rules/${high.id}`, { params: { id: high.id }, body: { enabled: true }, cookie: admin }))
        .status,
    ).toBe(200);
    const mediumBehind = await dryRunAll(medium.id);
    expect(mediumBehind.summary.takenByHigherPriority).toEqual([
      { ruleId: high.id, name: high.name, priority: 10, findings: highRun.summary.findings },
    ]);
    expect(mediumBehind.summary.findings).toBe(mediumAlone.summary.findings - highRun.summary.findings);
    expect(
      (
        await call(ruleRoute.PATCH, "PATCH", `/api/rules/${medium.id}`, {
          params: { id: medium.id },
          body: { enabled: true },
          cookie: admin,
        })
      ).status,
    ).toBe(200);

    const shown = [...highRun.items, ...mediumBehind.items];
    expect(highRun.total).toBeGreaterThan(1);
    expect(mediumBehind.total).toBeGreaterThan(1);
    expect(shown.length).toBe(highRun.total + mediumBehind.total);
    expect(shown.some((t) => t.owner === suite.emu.manifest.users[0]!.email)).toBe(true);

    const runId = await newRun();
    const outcome = await applyRules({
      connection: await db().serviceNowConnection.findUniqueOrThrow({ where: { id: suite.connection.id } }),
      runId,
    });
    expect(outcome).toEqual({ created: shown.length, failed: 0 });

    const created = (await ticketShapes()).sort(byKey);
    expect(created).toEqual(shown.map(planShape).sort(byKey));
    const tickets = await db().ticket.findMany({ where: { connectionId: suite.connection.id, ruleId: { not: null } } });
    expect(tickets.every((t) => t.createdByType === "rule")).toBe(true);
    // Due dates are the rule's timeframe from creation.
    for (const t of tickets) {
      const days = t.ruleId === high.id ? 14 : 45;
      expect(Math.abs(t.dueDate!.getTime() - (t.createdAt.getTime() + days * 86_400_000))).toBeLessThan(5 * 60_000);
    }
    // …and in ServiceNow: one record per correlation id, with the text the dry run showed.
    for (const t of tickets) {
      const sn = await suite.emu.control<{ total: number; result: Array<Record<string, string>> }>(
        "servicenow",
        "GET",
        `/_emulator/records/${t.table}?sysparm_query=${encodeURIComponent(`correlation_id=${t.correlationId}`)}`,
      );
      expect(sn.body.total).toBe(1);
    }

    // Nothing left to plan; a second run creates nothing.
    expect(await planRuleTickets({ connectionId: suite.connection.id })).toEqual([]);
    const again = await dryRunAll(high.id);
    expect(again.summary).toMatchObject({ tickets: 0, findings: 0, alreadyTicketed: again.summary.matched });
    expect(
      await applyRules({
        connection: await db().serviceNowConnection.findUniqueOrThrow({ where: { id: suite.connection.id } }),
        runId: await newRun(),
      }),
    ).toEqual({ created: 0, failed: 0 });
    expect(await db().ticket.count({ where: { connectionId: suite.connection.id } })).toBe(shown.length);

    // The run's history names every ticket it created, with a link to it.
    const events = await call(eventsRoute.GET, "GET", `/api/sync-runs/${runId}/events`, {
      params: { id: runId },
      query: { action: "created", pageSize: "500" },
      cookie: admin,
    });
    const page = (await events.json()) as TPage<TSyncEventDto>;
    expect(page.items.map((e) => e.ticket?.id).sort()).toEqual(tickets.map((t) => t.id).sort());
  });
});
