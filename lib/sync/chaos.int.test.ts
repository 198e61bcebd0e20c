// Chaos: a sync of 5,000 findings with an auto-ticket rule while ServiceNow and Azure misbehave (429s
// with and without Retry-After, 5xx, dropped connections) and the worker processes — two of them, side
// by side — are killed with SIGKILL at random points and restarted, several times. At the end every
// qualifying finding has exactly one active ticket, no ticket is duplicated or lost (ServiceNow and our
// database agree one to one), Defender carries each ticket, and the history records every ticket
// created and every run interrupted.
//
//   CHAOS_FINDINGS=20000 CHAOS_KILLS=8 CHAOS_GROUPING=per_finding npx vitest run --project integration lib/sync/chaos.int.test.ts
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { privateEmulators, type TestEmulators } from "@/emulators/common/testing";
import { SYSTEM_ACTOR } from "@/lib/audit/audit";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/boss";
import { createRule } from "@/lib/rules/write";
import { ZCreateRule, type TRuleGrouping } from "@/lib/schemas/rules";
import { ticketNumberToInteger } from "@/lib/tickets/states";
import { configureTestEnv } from "@/test/app";
import { type BoundTestDatabase, useTestDatabase } from "@/test/db";
import { enqueueConnectionSync } from "./enqueue-sql";
import { type ArmAssignment, syncWorld, type SyncWorld } from "./testing";

const FINDINGS = Number(process.env.CHAOS_FINDINGS ?? 5000);
const KILLS = Number(process.env.CHAOS_KILLS ?? 4);
const WORKERS = Number(process.env.CHAOS_WORKERS ?? 2);
const GROUPING = (process.env.CHAOS_GROUPING ?? "per_resource_group") as TRuleGrouping;
const root = path.resolve(__dirname, "..", "..");

let database: BoundTestDatabase;
let emu: TestEmulators;
let world: SyncWorld;
const workers = new Set<ChildProcess>();
const log = (message: string) => {
  if (process.env.CHAOS_VERBOSE) console.log(`[chaos ${new Date().toISOString().slice(11, 23)}] ${message}`);
};

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
    cwd: root,
    env: { ...process.env, WORKER_CONCURRENCY: "2" },
    stdio: ["ignore", process.env.CHAOS_VERBOSE ? "inherit" : "ignore", process.env.CHAOS_VERBOSE ? "inherit" : "ignore"],
  });
  workers.add(child);
  child.once("exit", () => workers.delete(child));
  return child;
}

async function killAll(): Promise<void> {
  const exits = [...workers].map(
    (w) => new Promise<void>((resolve) => (w.exitCode !== null || w.signalCode !== null ? resolve() : w.once("exit", () => resolve()))),
  );
  for (const w of workers) w.kill("SIGKILL");
  await Promise.all(exits);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function liveRun(since: Date) {
  return db().syncRun.findFirst({
    where: { connectionId: world.connection.id, status: "running", heartbeatAt: { gt: since } },
    orderBy: { startedAt: "desc" },
  });
}

/** Adds `n` unhealthy assessments to the ARM emulator: VMs in 40 resource groups × the catalog's recommendations. */
async function addAssessments(n: number): Promise<void> {
  const existing = await emu.control<{ value: Array<{ key: string; subscriptionId: string }> }>(
    "arm",
    "GET",
    "/_emulator/assessments?limit=1000",
  );
  const keys = [...new Set(existing.body.value.map((a) => a.key))];
  const subscriptions = [...new Set(existing.body.value.map((a) => a.subscriptionId))];
  const assessments = Array.from({ length: n }, (_, i) => {
    const vm = Math.floor(i / keys.length);
    const sub = subscriptions[vm % subscriptions.length]!;
    return {
      resourceId: `/subscriptions/${sub}/resourceGroups/rg-chaos-${vm % 40}/providers/Microsoft.Compute/virtualMachines/vm-chaos-${vm}`,
      key: keys[i % keys.length]!,
      status: "Unhealthy" as const,
    };
  });
  const r = await emu.control("arm", "POST", "/_emulator/assessments", { assessments });
  expect(r.status).toBe(201);
}

beforeAll(async () => {
  database = await useTestDatabase();
  configureTestEnv(database.url, { LOG_LEVEL: process.env.CHAOS_VERBOSE ? "info" : "silent" });
  emu = await privateEmulators({ seed: 42, size: "small" });
  await addAssessments(FINDINGS);
  world = await syncWorld(emu.manifest, { defaultAssignmentGroup: "Cloud Security Operations" });
  // The scheduler in the workers leaves this connection to the test's own runs.
  await db().serviceNowConnection.update({ where: { id: world.connection.id }, data: { nextSyncAt: new Date(Date.now() + 86_400_000) } });
  await createRule(
    SYSTEM_ACTOR,
    ZCreateRule.parse({
      name: "Chaos: every unhealthy finding",
      connectionId: world.connection.id,
      enabled: true,
      priority: 1,
      action: { table: "incident", grouping: GROUPING },
    }),
  );
}, 600_000);

afterAll(async () => {
  await killAll();
  await stopBoss({ graceful: false, timeoutMs: 2000 });
  await emu?.stop();
  await database?.drop();
}, 60_000);

describe("chaos", () => {
  test(`${FINDINGS} findings, ${GROUPING} rule, faults, ${KILLS} SIGKILLs of ${WORKERS} workers: exactly one active ticket per finding, nothing duplicated or lost`, async () => {
    const started = Date.now();
    // ServiceNow: 10 % 429s (half with Retry-After), 2 % 503s, 2 % dropped connections; ARM governance writes: 10 % 429/500.
    const faults = [
      { emulator: "servicenow", path: "/api/now/table/**", kind: "status", status: 429, retryAfter: 1, probability: 0.05 },
      { emulator: "servicenow", path: "/api/now/table/**", kind: "status", status: 429, probability: 0.05 },
      { emulator: "servicenow", path: "/api/now/table/**", kind: "status", status: 503, probability: 0.02 },
      { emulator: "servicenow", path: "/api/now/table/**", kind: "drop", probability: 0.02 },
      { emulator: "arm", path: "**/governanceAssignments/*", kind: "status", status: 429, retryAfter: 1, probability: 0.05 },
      { emulator: "arm", path: "**/governanceAssignments/*", kind: "status", status: 500, probability: 0.05 },
    ];
    expect((await emu.control("servicenow", "POST", "/_emulator/faults", faults)).status).toBe(201);

    const { runId: firstRun } = await enqueueConnectionSync(world.connection.id, { trigger: "manual" });
    const interrupted = new Set<string>();
    for (let round = 1; round <= KILLS; round++) {
      for (let i = 0; i < WORKERS; i++) startWorker();
      // Kill at a random point of the work: anywhere from the start of a run to deep into ticket creation
      // (a live run: one whose heartbeat is newer than the last kill).
      const target = Math.random();
      const since = new Date();
      const deadline = Date.now() + 60_000;
      for (;;) {
        await sleep(100);
        const run = await liveRun(since);
        const progress = run && run.progressTotal > 0 ? run.progressDone / run.progressTotal : 0;
        const phaseWeight =
          { "ingest-defender": 0.1, "ingest-servicenow": 0.2, reconcile: 0.3, rules: 0.4 + 0.5 * progress, governance: 0.95 }[
            (run?.phase ?? "").split(":")[0]!
          ] ?? 0;
        if (run && phaseWeight >= target * 0.95) break;
        if (Date.now() > deadline) break;
      }
      const running = await db().syncRun.findMany({
        where: { connectionId: world.connection.id, status: "running" },
        select: { id: true, phase: true, progressDone: true, progressTotal: true },
      });
      running.forEach((r) => interrupted.add(r.id));
      log(
        `round ${round}: SIGKILL at ${running.map((r) => `${r.phase} ${r.progressDone}/${r.progressTotal}`).join(", ") || "(nothing running)"}`,
      );
      await killAll();
      // Another request arrives while the workers are down (a click, a schedule): it must not duplicate anything.
      if (round % 2 === 0) await enqueueConnectionSync(world.connection.id, { trigger: "manual" });
    }

    // Faults stay on; the workers come back and finish the work.
    for (let i = 0; i < WORKERS; i++) startWorker();
    await enqueueConnectionSync(world.connection.id, { trigger: "manual" });
    const finishDeadline = Date.now() + 300_000;
    while (Date.now() < finishDeadline) {
      const open = await db().syncRun.count({ where: { connectionId: world.connection.id, status: { in: ["queued", "running"] } } });
      if (open === 0) break;
      await sleep(250);
    }
    // Then a last run without faults: it must find nothing left to create, and push what Azure refused.
    await emu.control("servicenow", "DELETE", "/_emulator/faults");
    const { runId: lastRun } = await enqueueConnectionSync(world.connection.id, { trigger: "manual" });
    while (Date.now() < finishDeadline) {
      const run = await db().syncRun.findUniqueOrThrow({ where: { id: lastRun } });
      if (["succeeded", "partial", "failed"].includes(run.status)) break;
      await sleep(250);
    }
    await killAll();
    const last = await db().syncRun.findUniqueOrThrow({ where: { id: lastRun } });
    log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s; last run ${last.status} ${JSON.stringify(last.counts)}`);
    expect(last.status, last.error ?? JSON.stringify(last.counts)).toBe("succeeded");
    expect((last.counts as { created?: number }).created ?? 0).toBe(0);

    // 1. Every qualifying finding has exactly one active ticket.
    const qualifying = await db().finding.findMany({
      where: { azureTenantId: world.tenantId, status: "Unhealthy", removedAt: null },
      select: { id: true, armId: true },
    });
    expect(qualifying.length).toBeGreaterThanOrEqual(FINDINGS);
    const active = await db().ticketLink.groupBy({
      by: ["findingId"],
      where: { activeConnectionId: world.connection.id },
      _count: { _all: true },
    });
    const perFinding = new Map(active.map((a) => [a.findingId, a._count._all]));
    expect(qualifying.filter((f) => perFinding.get(f.id) !== 1).length, "findings without exactly one active ticket").toBe(0);

    // 2. ServiceNow and PostureDesk agree one to one: nothing duplicated, nothing lost.
    const tickets = await db().ticket.findMany({
      where: { connectionId: world.connection.id },
      select: { id: true, sysId: true, number: true, correlationId: true },
    });
    const snTickets: Array<{ sys_id: string; correlation_id: string }> = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await emu.control<{ result: Array<{ sys_id: string; correlation_id: string }>; total: number }>(
        "servicenow",
        "GET",
        `/_emulator/records/incident?sysparm_query=${encodeURIComponent(`correlation_idSTARTSWITH${world.connection.correlationPrefix}:`)}&limit=1000&offset=${offset}`,
      );
      snTickets.push(...page.body.result);
      if (page.body.result.length < 1000) break;
    }
    expect(new Set(snTickets.map((t) => t.correlation_id)).size, "duplicate correlation ids in ServiceNow").toBe(snTickets.length);
    expect(snTickets.map((t) => t.sys_id).sort()).toEqual(tickets.map((t) => t.sysId).sort());
    expect(new Set(tickets.map((t) => t.correlationId)).size).toBe(tickets.length);

    // 3. Defender carries each finding's ticket.
    const assignments = (await emu.control<{ value: ArmAssignment[] }>("arm", "GET", "/_emulator/governance/assignments")).body.value;
    const byKey = new Map(assignments.map((a) => [a.key.toLowerCase(), a]));
    const { governanceAssignmentKey } = await import("@/lib/governance/keys");
    const links = await db().ticketLink.findMany({
      where: { activeConnectionId: world.connection.id },
      select: { findingId: true, ticket: { select: { number: true } }, finding: { select: { armId: true } } },
    });
    const wrong = links.filter(
      (l) =>
        byKey.get(governanceAssignmentKey(l.finding.armId))?.properties.additionalData?.ticketNumber !==
        ticketNumberToInteger(l.ticket.number),
    );
    expect(wrong.length, "findings whose Defender governance assignment does not carry their ticket").toBe(0);
    expect(await db().governanceAssignment.count({ where: { azureState: { not: "synced" } } })).toBe(0);

    // 4. History: one "created" event per ticket, every interrupted run closed as such.
    const created = await db().syncEvent.groupBy({
      by: ["ticketId"],
      where: { action: "created", ticketId: { in: tickets.map((t) => t.id) } },
      _count: { _all: true },
    });
    expect(created.length).toBe(tickets.length);
    expect(created.every((c) => c._count._all === 1)).toBe(true);
    const stillOpen = await db().syncRun.count({ where: { connectionId: world.connection.id, status: { in: ["queued", "running"] } } });
    expect(stillOpen).toBe(0);
    for (const id of interrupted) {
      const run = await db().syncRun.findUniqueOrThrow({ where: { id } });
      expect(run.status).toBe("failed");
      expect(run.error).toMatch(/^Interrupted/);
    }
    expect((await db().syncRun.findUniqueOrThrow({ where: { id: firstRun } })).status).not.toBe("queued");
    log(
      `${qualifying.length} findings, ${tickets.length} tickets, ${interrupted.size} runs interrupted, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }, 900_000);
});
