// The engine's own guarantees, against private emulators: watermark with overlap (and never advanced by
// a failed run), keyset paging, partial failure with item retries, one running sync per connection
// (the lease), recovery of runs a dead worker left behind, the scheduler, and automation rules applied
// exactly as their dry run shows (priority and grouping).
import { describe, expect, test } from "vitest";
import { SYSTEM_ACTOR } from "@/lib/audit/audit";
import { serviceNowClientFor, WITH_CREDENTIALS } from "@/lib/connections/client";
import { db } from "@/lib/db";
import { logger } from "@/lib/log";
import { planRuleTickets } from "@/lib/rules/plan";
import { createRule } from "@/lib/rules/write";
import { ZCreateRule } from "@/lib/schemas/rules";
import { acquireConnectionLease, isConnectionLeased } from "./lease-sql";
import { createRunReporter } from "./reporter-sql";
import { connectionsNeedingWorker, scheduleDueConnections, scheduleDueTenants } from "./scheduler";
import { ingestServiceNow } from "./servicenow-ingest";
import { eventsOf, queueRun, runQueued, syncNow, ticketFor } from "./testing";
import { addFault, syncWorldSuite } from "@/test/integration";

const suite = syncWorldSuite({ connection: { defaultAssignmentGroup: "Cloud Security Operations" }, timeoutMs: 120_000 });
const { take } = suite;

const addSnFault = (rule: Record<string, unknown>) => addFault(suite.emu, "servicenow", rule);
const connectionRow = () =>
  db().serviceNowConnection.findUniqueOrThrow({ where: { id: suite.world.connection.id }, omit: WITH_CREDENTIALS });

describe("ServiceNow ingest: watermark, overlap, paging", () => {
  test("the watermark is the newest sys_updated_on read, commits with the run, and a failed run leaves it (and the change) for the next run", async () => {
    const tickets = [];
    for (const f of take(3))
      tickets.push(await ticketFor({ connectionId: suite.world.connection.id, type: "incident", findingIds: [f.id] }));
    const first = await syncNow(suite.world.connection.id);
    expect(first.status, first.error ?? "").toBe("succeeded");
    const newest = (await db().ticket.findMany({ where: { connectionId: suite.world.connection.id } })).reduce(
      (m, t) => Math.max(m, t.snUpdatedAt!.getTime()),
      0,
    );
    const committed = (await connectionRow()).snWatermark!;
    expect(committed.getTime()).toBe(newest);

    await new Promise((r) => setTimeout(r, 1100));
    await suite.sn.changeAsUser("incident", tickets[0]!.sysId, { state: "2" });
    // The instance refuses the listing (ACL): the run fails, nothing moves.
    const fault = await addSnFault({ method: "GET", path: "/api/now/table/incident", kind: "status", status: 403 });
    const failed = await syncNow(suite.world.connection.id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/ServiceNow/);
    expect((await connectionRow()).snWatermark!.getTime()).toBe(committed.getTime());
    expect((await db().ticket.findUniqueOrThrow({ where: { id: tickets[0]!.id } })).rawState).toBe("1");
    // Not retryable (a refusal, not an outage): no automatic follow-up.
    expect(await db().syncRun.count({ where: { connectionId: suite.world.connection.id, status: "queued" } })).toBe(0);

    await suite.emu.control("servicenow", "DELETE", `/_emulator/faults/${fault}`);
    const healed = await syncNow(suite.world.connection.id);
    expect(healed.status, healed.error ?? "").toBe("succeeded");
    expect((await db().ticket.findUniqueOrThrow({ where: { id: tickets[0]!.id } })).rawState).toBe("2");
    expect((await connectionRow()).snWatermark!.getTime()).toBeGreaterThan(committed.getTime());
  });

  test("records are read from watermark − 5 min: a change just behind the watermark is read, one further behind only by a full run", async () => {
    const [f] = take(1);
    const ticket = await ticketFor({ connectionId: suite.world.connection.id, type: "incident", findingIds: [f!.id] });
    await syncNow(suite.world.connection.id);
    await suite.sn.changeAsUser("incident", ticket.sysId, { state: "3", hold_reason: "1" });
    const changedAt = (await db().$queryRaw<Array<{ now: Date }>>`SELECT now() AS now`)[0]!.now;

    // Watermark 4 minutes ahead of the change: inside the overlap, the change is read.
    await db().serviceNowConnection.update({
      where: { id: suite.world.connection.id },
      data: { snWatermark: new Date(changedAt.getTime() + 4 * 60_000) },
    });
    await syncNow(suite.world.connection.id);
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).rawState).toBe("3");

    await suite.sn.changeAsUser("incident", ticket.sysId, { state: "2" });
    await db().serviceNowConnection.update({
      where: { id: suite.world.connection.id },
      data: { snWatermark: new Date(Date.now() + 6 * 60_000) },
    });
    await syncNow(suite.world.connection.id);
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).rawState).toBe("3");
    const full = await syncNow(suite.world.connection.id, { mode: "full" });
    expect(full.status, full.error ?? "").toBe("succeeded");
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).rawState).toBe("2");
    // The watermark never moves backwards.
    expect((await connectionRow()).snWatermark!.getTime()).toBeGreaterThan(Date.now() + 5 * 60_000);
    await db().serviceNowConnection.update({ where: { id: suite.world.connection.id }, data: { snWatermark: null } });
  });

  test("pages follow (sys_updated_on, sys_id): records updated while paging are neither skipped nor read twice", async () => {
    for (const f of take(3)) await ticketFor({ connectionId: suite.world.connection.id, type: "incident", findingIds: [f.id] });
    const tickets = await db().ticket.findMany({ where: { connectionId: suite.world.connection.id } });
    expect(tickets.length).toBeGreaterThanOrEqual(4);
    const connection = await connectionRow();
    const runId = await queueRun(connection.id);
    const lease = (await acquireConnectionLease(connection.id))!;
    await db().syncRun.update({ where: { id: runId }, data: { status: "running" } });
    const reporter = createRunReporter(lease, { runIds: [runId], kind: "servicenow_sync", log: logger() });
    try {
      // Between the pages, a ticket read on the first page is updated (it moves to the end of the order).
      const client = await serviceNowClientFor(connection);
      let listed = 0;
      const spy = {
        ...client,
        list: async (...args: Parameters<typeof client.list>) => {
          const page = await client.list(...args);
          if (listed++ === 0)
            await suite.sn.changeAsUser("incident", String((page.records[0]!.sys_id as { value: string }).value), {
              short_description: "Updated while paging",
            });
          return page;
        },
      } as typeof client;
      await suite.sn.resetCounters();
      await ingestServiceNow({ connection, client: spy, runId, reporter, isFull: true, pageSize: 2 });
      expect(await suite.sn.requests({ method: "GET" })).toBe(Math.ceil(tickets.length / 2) + 1);
      const events = await eventsOf(runId);
      expect(events.filter((e) => e.action === "updated" && /Updated while paging/.test(e.message))).toHaveLength(1);
    } finally {
      await reporter.stop();
      await lease.release();
      await db().syncRun.update({ where: { id: runId }, data: { status: "succeeded" } });
    }
  });
});

describe("partial failure", () => {
  test("one ticket ServiceNow refuses is an error event and a retry item; the others are done; the next run finishes it", async () => {
    const [a, b] = take(2);
    const ta = await ticketFor({ connectionId: suite.world.connection.id, type: "incident", findingIds: [a!.id] });
    const tb = await ticketFor({ connectionId: suite.world.connection.id, type: "incident", findingIds: [b!.id] });
    await suite.defender.setStatus([a!.armId, b!.armId], "Healthy");
    const fault = await addSnFault({ method: "PATCH", path: `/api/now/table/incident/${tb.sysId}`, kind: "status", status: 403 });

    const run = await syncNow(suite.world.connection.id);
    expect(run.status).toBe("partial");
    expect((await suite.sn.record("incident", ta.sysId)).state).toBe("6");
    expect((await suite.sn.record("incident", tb.sysId)).state).toBe("1");
    const errors = (await eventsOf(run.id)).filter((e) => e.action === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.ticketId).toBe(tb.id);
    expect(errors[0]!.isRetryable).toBe(true);
    expect(await db().syncRetryItem.count({ where: { entityId: tb.id } })).toBe(1);
    expect((run.counts as { errors?: number }).errors).toBe(1);

    await suite.emu.control("servicenow", "DELETE", `/_emulator/faults/${fault}`);
    const retried = await syncNow(suite.world.connection.id);
    expect(retried.status, retried.error ?? "").toBe("succeeded");
    expect((await suite.sn.record("incident", tb.sysId)).state).toBe("6");
    expect(await db().syncRetryItem.count({ where: { entityId: tb.id } })).toBe(0);
  });
});

describe("one running sync per connection, and crash recovery", () => {
  test("while another worker holds the connection, a job runs nothing; the holder's queued runs wait for it", async () => {
    const lease = (await acquireConnectionLease(suite.world.connection.id))!;
    expect(await acquireConnectionLease(suite.world.connection.id)).toBeNull();
    expect(await isConnectionLeased(suite.world.connection.id)).toBe(true);
    const runId = await queueRun(suite.world.connection.id);
    await runQueued(suite.world.connection.id);
    expect((await db().syncRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe("queued");
    await lease.release();
    expect(await isConnectionLeased(suite.world.connection.id)).toBe(false);
    await runQueued(suite.world.connection.id);
    expect((await db().syncRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe("succeeded");
  });

  test("a run left running by a dead worker is closed as interrupted and resumed by a new run", async () => {
    const dead = await db().syncRun.create({
      data: {
        kind: "servicenow_sync",
        trigger: "schedule",
        status: "running",
        connectionId: suite.world.connection.id,
        startedAt: new Date(),
        heartbeatAt: new Date(),
        counts: { mode: "incremental", attempt: 1 },
      },
    });
    expect(await connectionsNeedingWorker()).toContain(suite.world.connection.id);
    await runQueued(suite.world.connection.id);
    const closed = await db().syncRun.findUniqueOrThrow({ where: { id: dead.id } });
    expect(closed.status).toBe("failed");
    expect(closed.error).toMatch(/^Interrupted/);
    const resumed = await db().syncRun.findFirstOrThrow({ where: { counts: { path: ["resumes"], equals: dead.id } } });
    expect(resumed.trigger).toBe("schedule");
    expect(resumed.status).toBe("succeeded");
    expect((resumed.counts as { attempt: number }).attempt).toBe(2);
    expect((await eventsOf(dead.id)).some((e) => e.action === "error" && /Interrupted/.test(e.message))).toBe(true);
    expect(await connectionsNeedingWorker()).not.toContain(suite.world.connection.id);
  });
});

describe("scheduler", () => {
  test("a due connection gets one scheduled run and its next run time; a second tick adds none", async () => {
    await db().serviceNowConnection.update({
      where: { id: suite.world.connection.id },
      data: { syncIntervalMinutes: 1, nextSyncAt: null },
    });
    const before = await db().syncRun.count({ where: { connectionId: suite.world.connection.id, trigger: "schedule", status: "queued" } });
    expect(await scheduleDueConnections()).toContain(suite.world.connection.id);
    const row = await connectionRow();
    expect(row.nextSyncAt!.getTime()).toBeGreaterThan(Date.now() + 50_000);
    expect(row.nextSyncAt!.getTime()).toBeLessThan(Date.now() + 61_000);
    expect(await scheduleDueConnections()).not.toContain(suite.world.connection.id);
    // Due again while its run is still queued: the time moves on, no second run.
    await db().serviceNowConnection.update({ where: { id: suite.world.connection.id }, data: { nextSyncAt: new Date(Date.now() - 1000) } });
    expect(await scheduleDueConnections()).not.toContain(suite.world.connection.id);
    expect(await db().syncRun.count({ where: { connectionId: suite.world.connection.id, trigger: "schedule", status: "queued" } })).toBe(
      before + 1,
    );
    await runQueued(suite.world.connection.id);
    // A shortened interval pulls a far-away next run closer.
    await db().serviceNowConnection.update({
      where: { id: suite.world.connection.id },
      data: { nextSyncAt: new Date(Date.now() + 86_400_000) },
    });
    await scheduleDueConnections();
    expect((await connectionRow()).nextSyncAt!.getTime()).toBeLessThan(Date.now() + 61_000);
    await db().serviceNowConnection.update({
      where: { id: suite.world.connection.id },
      data: { syncIntervalMinutes: 1440, nextSyncAt: new Date(Date.now() + 86_400_000) },
    });
  });
});

describe("scheduler: Defender ingestion of tenants", () => {
  test("a due tenant gets one ingestion (incremental, full once a day); none while one is queued", async () => {
    const tenantId = suite.world.tenantId;
    await db().azureTenant.update({ where: { id: tenantId }, data: { nextSyncAt: new Date(Date.now() - 1000) } });
    const first = await scheduleDueTenants();
    expect(first).toEqual([{ tenantId, mode: "incremental" }]);
    const queued = await db().syncRun.findMany({ where: { azureTenantId: tenantId, kind: "defender_ingest", status: "queued" } });
    expect(queued).toHaveLength(1);
    expect(queued[0]!.trigger).toBe("schedule");
    await db().azureTenant.update({
      where: { id: tenantId },
      data: { nextSyncAt: new Date(Date.now() - 1000), lastFullSyncAt: new Date(Date.now() - 25 * 3600_000) },
    });
    expect(await scheduleDueTenants()).toEqual([]);
    await db().syncRun.updateMany({ where: { id: queued[0]!.id }, data: { status: "canceled" } });
    expect(await scheduleDueTenants()).toEqual([{ tenantId, mode: "full" }]);
    await db().syncRun.updateMany({
      where: { azureTenantId: tenantId, kind: "defender_ingest", status: "queued" },
      data: { status: "canceled" },
    });
  });
});

/** The world's unhealthy findings no ticket of the connection links yet. */
const unlinkedUnhealthy = (connectionId: string) => ({
  azureTenantId: suite.world.tenantId,
  status: "Unhealthy" as const,
  removedAt: null,
  links: { none: { activeConnectionId: connectionId } },
});

describe("automation rules", () => {
  test("the sync creates exactly the tickets the dry run shows (priority decides, grouping groups), once", async () => {
    const connectionId = suite.world.connection.id;
    const free = await db().finding.findMany({
      where: unlinkedUnhealthy(connectionId),
      select: { id: true, severity: true, recommendationKey: true },
    });
    const high = free.filter((f) => f.severity === "High");
    const keys = [...new Set(high.map((f) => f.recommendationKey))].slice(0, 2);
    const lowKey = free.find((f) => f.severity === "Low")!.recommendationKey;
    // Priority 10: High findings of two recommendations, one problem per recommendation.
    // Priority 20: the same recommendations plus a Low one, one incident per finding — it only gets what 10 leaves.
    await createRule(
      SYSTEM_ACTOR,
      ZCreateRule.parse({
        name: "High per recommendation",
        connectionId,
        enabled: true,
        priority: 10,
        conditions: { severities: ["High"], recommendationKeys: keys },
        action: { table: "problem", grouping: "per_recommendation" },
      }),
    );
    await createRule(
      SYSTEM_ACTOR,
      ZCreateRule.parse({
        name: "Catch-all per finding",
        connectionId,
        enabled: true,
        priority: 20,
        conditions: { recommendationKeys: [...keys, lowKey] },
        action: { table: "incident", grouping: "per_finding" },
      }),
    );

    const plan = await planRuleTickets({ connectionId });
    expect(plan.length).toBeGreaterThan(2);
    expect(plan.filter((p) => p.table === "problem")).toHaveLength(keys.length);
    const run = await syncNow(connectionId);
    expect(run.status, run.error ?? "").toBe("succeeded");

    const created = await db().ticket.findMany({
      where: { connectionId, ruleId: { not: null } },
      include: { links: { where: { activeConnectionId: connectionId } } },
    });
    const shape = (t: { table: string; findingIds: string[] }) => `${t.table}:${[...t.findingIds].sort().join(",")}`;
    expect(created.map((t) => shape({ table: t.table, findingIds: t.links.map((l) => l.findingId) })).sort()).toEqual(
      plan.map((p) => shape(p)).sort(),
    );
    const events = (await eventsOf(run.id)).filter((e) => e.action === "created");
    expect(events).toHaveLength(plan.length);
    expect(events.some((e) => /by rule "High per recommendation"/.test(e.message))).toBe(true);
    for (const t of created)
      expect(await suite.sn.count(t.table, `sys_id=${t.sysId}^correlation_idSTARTSWITH${suite.world.connection.correlationPrefix}:`)).toBe(
        1,
      );

    // Nothing left to plan; a second run creates nothing.
    expect(await planRuleTickets({ connectionId })).toEqual([]);
    const again = await syncNow(connectionId);
    expect((again.counts as { created?: number }).created ?? 0).toBe(0);
    expect(await db().ticket.count({ where: { connectionId, ruleId: { not: null } } })).toBe(created.length);
    await db().automationRule.updateMany({ where: { connectionId }, data: { enabled: false } });
  });

  test("an owner with no ServiceNow account gets an unassigned ticket with a note, stays Defender's owner, and the run says so", async () => {
    const connectionId = suite.world.connection.id;
    const finding = await db().finding.findFirstOrThrow({
      where: unlinkedUnhealthy(connectionId),
      select: { id: true, armId: true, recommendationKey: true },
    });
    const ghost = "ghost.owner@contoso.example";
    await createRule(
      SYSTEM_ACTOR,
      ZCreateRule.parse({
        name: "Ghost owner",
        connectionId,
        enabled: true,
        priority: 30,
        conditions: { recommendationKeys: [finding.recommendationKey] },
        action: { table: "incident", grouping: "per_finding", ownerSource: "fixed", ownerValue: ghost },
      }),
    );
    try {
      const run = await syncNow(connectionId);
      expect(run.status, run.error ?? "").toBe("succeeded");
      const link = await db().ticketLink.findFirstOrThrow({
        where: { findingId: finding.id, activeConnectionId: connectionId },
        include: { ticket: true },
      });
      expect(link.ticket.table).toBe("incident");
      const record = await suite.sn.record("incident", link.ticket.sysId);
      expect(record.assigned_to ?? "").toBe("");
      expect(record.journal?.some((j) => j.element === "work_notes" && j.value.includes(`Owner "${ghost}"`))).toBe(true);
      expect((await suite.defender.assignmentOf(finding.armId))?.properties.owner).toBe(ghost);
      expect((await eventsOf(run.id)).some((e) => e.action === "skipped" && e.message.includes("has no ServiceNow account"))).toBe(true);
    } finally {
      await db().automationRule.updateMany({ where: { connectionId }, data: { enabled: false } });
    }
  });
});
