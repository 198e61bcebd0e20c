// Defender ingestion through the real @azure/msal-node token and @azure/arm-security SDK (and Resource
// Graph through its pipeline) against a private ARM emulator (its statuses are flipped here), into this
// file's own PostgreSQL suite.database.
import { describe, expect, test } from "vitest";
import { SYSTEM_ACTOR } from "@/lib/audit/audit";
import { archiveAzureTenant } from "@/lib/azure-tenants/service";
import { db, pool } from "@/lib/db";
import { closedPort } from "@/lib/tickets/testing";
import { ingestDefender } from "./ingest";
import { recoverStaleIngestRuns, runIngestJob } from "./job";
import { asMap, emulatorAssessments, newRun, registerEmulatorTenant, storedFindings } from "./testing/fixtures";
import { integrationSuite } from "@/test/integration";

const suite = integrationSuite({ emulators: "private" });

async function eventsOf(runId: string) {
  return db().syncEvent.findMany({ where: { runId }, orderBy: { id: "asc" } });
}

describe("ingestDefender", () => {
  let tenantId: string;

  test("a first full ingestion (Resource Graph, chosen for several subscriptions) stores exactly the emulator's assessments, joined to their metadata", async () => {
    const tenant = await registerEmulatorTenant(suite.emu.manifest);
    tenantId = tenant.id;
    const runId = await newRun(tenantId);
    await runIngestJob({ runId, mode: "full" });

    const run = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status, run.error ?? "").toBe("succeeded");
    expect(run.finishedAt).not.toBeNull();
    const expected = await emulatorAssessments(suite.emu.manifest.arm.url);
    expect(expected.length).toBe(300);
    expect(await storedFindings(tenantId)).toEqual(asMap(expected));

    // Every finding joined to real metadata (no placeholders), severity copied from it.
    const recommendations = await db().recommendation.findMany();
    expect(recommendations.filter((r) => r.isPlaceholder)).toEqual([]);
    const mismatched = await db().$queryRaw<
      Array<{ n: bigint }>
    >`SELECT count(*) AS n FROM "Finding" f JOIN "Recommendation" r ON r.key = f."recommendationKey" WHERE f.severity <> r.severity`;
    expect(Number(mismatched[0]!.n)).toBe(0);
    const sample = expected[0]!;
    const stored = await db().finding.findUniqueOrThrow({ where: { armId: sample.id.toLowerCase() }, include: { recommendation: true } });
    expect(stored.resourceId.toLowerCase()).toBe(sample.resourceId.toLowerCase());
    expect(stored.subscriptionId).toBe(sample.subscriptionId);
    expect(stored.recommendation.displayName.length).toBeGreaterThan(0);
    expect(stored.portalUrl).toContain(sample.key);

    // Subscriptions discovered; scores and compliance stored per subscription.
    const subscriptions = await db().subscription.findMany({ where: { azureTenantId: tenantId } });
    expect(subscriptions.map((s) => s.subscriptionId).sort()).toEqual([...suite.emu.manifest.arm.subscriptionIds].sort());
    expect(subscriptions.every((s) => s.lastIngestedAt !== null)).toBe(true);
    expect(await db().secureScore.count()).toBe(2);
    expect(await db().secureScoreControl.count()).toBeGreaterThan(0);
    expect(await db().regulatoryStandard.count()).toBe(10); // 5 standards × 2 subscriptions
    expect(await db().regulatoryAssessment.count({ where: { recommendationKey: { not: null } } })).toBeGreaterThan(0);

    // A first ingestion records one event per recommendation, adding up to every finding.
    const events = await eventsOf(runId);
    const created = events.filter((e) => e.action === "new_finding");
    expect(created.every((e) => e.entityType === "recommendation")).toBe(true);
    expect(created.reduce((sum, e) => sum + Number((e.after as { count: number }).count), 0)).toBe(300);
    const counts = (run.counts as { defender: Record<string, unknown> }).defender;
    expect(counts).toMatchObject({ mode: "full", strategy: "resource-graph", findings: { new: 300 } });

    // The summary the list reads adds up to the same findings.
    const summary = await db().recommendationSummary.aggregate({
      where: { subscriptionId: { not: "*" } },
      _sum: { total: true, unhealthy: true },
    });
    const rollup = await db().recommendationSummary.aggregate({ where: { subscriptionId: "*", resourceType: "*" }, _sum: { total: true } });
    expect(rollup._sum.total).toBe(300);
    expect(summary._sum.total).toBe(300);
    expect(summary._sum.unhealthy).toBe(expected.filter((a) => a.status === "Unhealthy").length);
    const tenantRow = await db().azureTenant.findUniqueOrThrow({ where: { id: tenantId } });
    expect(tenantRow.lastFullSyncAt).not.toBeNull();
    expect(tenantRow.defenderWatermark).not.toBeNull();
  });

  test("a second full pass through ARM (SecurityCenter per subscription) finds nothing to change", async () => {
    const runId = await newRun(tenantId);
    const result = await ingestDefender(tenantId, { mode: "full", runId, strategy: "arm" });
    expect(result.status).toBe("succeeded");
    expect(result.strategy).toBe("arm");
    expect(result.counts).toMatchObject({ findings: { new: 0, statusChanged: 0 } });
    expect((await eventsOf(runId)).filter((e) => ["new_finding", "status_changed", "removed"].includes(e.action))).toEqual([]);
    expect(await storedFindings(tenantId)).toEqual(asMap(await emulatorAssessments(suite.emu.manifest.arm.url)));
  });

  test("status transitions: an incremental pass records flips and new findings; a full pass marks disappeared ones removed, not deleted", async () => {
    const unhealthy = await emulatorAssessments(suite.emu.manifest.arm.url, { status: "Unhealthy" });
    const flipped = unhealthy.slice(0, 4);
    await suite.emu.control("arm", "POST", "/_emulator/assessments/status", { ids: flipped.map((a) => a.id), status: "Healthy" });
    const healthy = await emulatorAssessments(suite.emu.manifest.arm.url, { status: "Healthy" });
    await suite.emu.control("arm", "POST", "/_emulator/assessments/status", {
      ids: [healthy.find((a) => !flipped.some((f) => f.id === a.id))!.id],
      status: "Unhealthy",
    });
    const gone = unhealthy.slice(10, 12);
    await suite.emu.control("arm", "DELETE", "/_emulator/assessments", { ids: gone.map((a) => a.id) });

    const incremental = await newRun(tenantId);
    const result = await ingestDefender(tenantId, { mode: "incremental", runId: incremental, strategy: "arm" });
    expect(result.counts).toMatchObject({ findings: { statusChanged: 5, new: 0 } });
    const changes = (await eventsOf(incremental)).filter((e) => e.action === "status_changed");
    expect(changes).toHaveLength(5);
    const one = changes.find((e) => e.entityId === flipped[0]!.id.toLowerCase())!;
    expect(one.before).toMatchObject({ status: "Unhealthy" });
    expect(one.after).toMatchObject({ status: "Healthy" });
    expect(one.message).toBe("Unhealthy → Healthy");
    // Incremental passes never remove: the two deleted assessments are still current.
    expect((await db().finding.findMany({ where: { armId: { in: gone.map((g) => g.id.toLowerCase()) }, removedAt: null } })).length).toBe(
      2,
    );

    const full = await newRun(tenantId);
    await runIngestJob({ runId: full, mode: "full" });
    const removedEvents = (await eventsOf(full)).filter((e) => e.action === "removed");
    expect(removedEvents.map((e) => e.entityId).sort()).toEqual(gone.map((g) => g.id.toLowerCase()).sort());
    const removed = await db().finding.findMany({ where: { armId: { in: gone.map((g) => g.id.toLowerCase()) } } });
    expect(removed).toHaveLength(2);
    expect(removed.every((f) => f.removedAt !== null)).toBe(true);
    expect(await storedFindings(tenantId)).toEqual(asMap(await emulatorAssessments(suite.emu.manifest.arm.url)));

    // The removed finding comes back: same row, removal cleared, an event says so.
    const back = gone[0]!;
    await suite.emu.control("arm", "POST", "/_emulator/assessments", {
      assessments: [{ resourceId: back.resourceId, key: back.key, status: "Unhealthy" }],
    });
    const again = await newRun(tenantId);
    await runIngestJob({ runId: again, mode: "full" });
    const returned = await db().finding.findUniqueOrThrow({ where: { armId: back.id.toLowerCase() } });
    expect(returned.id).toBe(removed.find((r) => r.armId === back.id.toLowerCase())!.id);
    expect(returned.removedAt).toBeNull();
    expect((await eventsOf(again)).find((e) => e.entityId === back.id.toLowerCase())?.message).toMatch(/again/);
    const summary = await db().recommendationSummary.aggregate({ where: { subscriptionId: "*" }, _sum: { total: true } });
    expect(summary._sum.total).toBe((await emulatorAssessments(suite.emu.manifest.arm.url)).length);
  });

  test("an incremental pass through Resource Graph asks only for what changed since the watermark, and stores what a full pass would", async () => {
    const all = await emulatorAssessments(suite.emu.manifest.arm.url);
    const unhealthy = await emulatorAssessments(suite.emu.manifest.arm.url, { status: "Unhealthy" });
    const flipped = unhealthy.slice(20, 23);
    await suite.emu.control("arm", "POST", "/_emulator/assessments/status", { ids: flipped.map((a) => a.id), status: "Healthy" });
    await suite.emu.control("arm", "POST", "/_emulator/counters/reset");

    const runId = await newRun(tenantId);
    const result = await ingestDefender(tenantId, { mode: "incremental", runId, strategy: "resource-graph" });
    expect(result.counts).toMatchObject({ strategy: "resource-graph", findings: { statusChanged: 3, new: 0 } });
    // Filtered by Resource Graph, not after download: the flipped three (and the few that changed within
    // the watermark's one-hour overlap), not the tenant's 300.
    const seen = Number((result.counts as { assessmentsSeen: number }).assessmentsSeen);
    expect(seen).toBeGreaterThanOrEqual(3);
    expect(seen).toBeLessThan(all.length / 2);
    const changes = (await eventsOf(runId))
      .filter((e) => e.action === "status_changed")
      .map((e) => e.entityId)
      .sort();
    expect(changes).toEqual(flipped.map((a) => a.id.toLowerCase()).sort());
    expect(await storedFindings(tenantId)).toEqual(asMap(await emulatorAssessments(suite.emu.manifest.arm.url)));
  });

  test("a run whose run id does not exist, or a tenant that is archived, is refused with a clear error", async () => {
    await expect(ingestDefender(tenantId, { mode: "full", runId: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const tenant = await registerEmulatorTenant(suite.emu.manifest, {
      name: "Wrong secret",
      clientSecret: "not-the-secret",
      tenantId: "contoso.example",
    });
    const runId = await newRun(tenant.id);
    await runIngestJob({ runId, mode: "full" });
    const run = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/refused the client secret .*AADSTS7000215/);
    expect(run.error).not.toContain(suite.emu.manifest.entra.armServicePrincipal.clientSecret);
    await archiveAzureTenant(SYSTEM_ACTOR, tenant.id);
  });

  test("two ingestions of one tenant at once: the second is refused as busy (retryable), the first completes", async () => {
    const [a, b] = [await newRun(tenantId), await newRun(tenantId)];
    const results = await Promise.allSettled([
      ingestDefender(tenantId, { mode: "incremental", runId: a }),
      ingestDefender(tenantId, { mode: "incremental", runId: b }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: "SERVICE_UNAVAILABLE", isRetryable: true });
  });

  test("an ingestion job that finds another ingestion of its tenant running waits for it (phase says so), then runs", async () => {
    // Another ingestion holds the tenant's lock (what a connection sync's Defender phase takes).
    const other = await pool().connect();
    await other.query("SELECT pg_advisory_lock(hashtext($1))", [`posturedesk:ingest:${tenantId}`]);
    const runId = await newRun(tenantId);
    let isDone = false;
    const job = runIngestJob({ runId, mode: "incremental" }, { jobId: "waiting-job", retryCount: 0 }).finally(() => (isDone = true));
    try {
      await expect
        .poll(async () => (await db().syncRun.findUniqueOrThrow({ where: { id: runId } })).phase, { timeout: 10_000 })
        .toBe("waiting for another ingestion of this tenant");
      const waiting = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
      expect([waiting.status, waiting.error, isDone]).toEqual(["running", null, false]);
    } finally {
      await other.query("SELECT pg_advisory_unlock(hashtext($1))", [`posturedesk:ingest:${tenantId}`]);
      other.release();
    }
    await job;
    const run = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
    expect([run.status, run.error]).toEqual(["succeeded", null]);
    expect(await db().syncEvent.count({ where: { runId, action: "error" } })).toBe(0);
  });

  test("a retryable failure (Entra unreachable) goes back to queued for pg-boss to retry; the last attempt fails the run with a clear message", async () => {
    const tenant = await registerEmulatorTenant(suite.emu.manifest, {
      name: "Unreachable",
      tenantId: "contoso.example",
      authorityHost: `https://localhost:${await closedPort()}`,
    });
    const runId = await newRun(tenant.id);
    await expect(runIngestJob({ runId, mode: "full" }, { jobId: "job-1", retryCount: 0 })).rejects.toMatchObject({ isRetryable: true });
    const retrying = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(retrying).toMatchObject({ status: "queued", jobId: "job-1" });
    expect(retrying.error).toMatch(/Attempt 1 failed, retrying: .*connection refused/);
    await runIngestJob({ runId, mode: "full" }, { jobId: "job-1", retryCount: 2 });
    const failed = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(failed.status).toBe("failed");
    expect(await db().syncEvent.count({ where: { runId, action: "error", entityType: "run" } })).toBe(2);
    await archiveAzureTenant(SYSTEM_ACTOR, tenant.id);
  });

  test("a run left running by a dead worker is failed once its heartbeat is 10 minutes old; a fresh one is left alone", async () => {
    const stale = await db().syncRun.create({
      data: {
        kind: "defender_ingest",
        trigger: "schedule",
        status: "running",
        azureTenantId: tenantId,
        heartbeatAt: new Date(Date.now() - 11 * 60_000),
      },
    });
    const alive = await db().syncRun.create({
      data: { kind: "defender_ingest", trigger: "schedule", status: "running", azureTenantId: tenantId, heartbeatAt: new Date() },
    });
    expect(await recoverStaleIngestRuns()).toBe(1);
    expect(await db().syncRun.findUniqueOrThrow({ where: { id: stale.id } })).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/Interrupted/),
    });
    expect((await db().syncRun.findUniqueOrThrow({ where: { id: alive.id } })).status).toBe("running");
    await db().syncRun.update({ where: { id: alive.id }, data: { status: "canceled" } });
  });

  test("re-running a finished run does nothing (idempotent job)", async () => {
    const runId = await newRun(tenantId);
    await runIngestJob({ runId, mode: "incremental" });
    const first = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
    await runIngestJob({ runId, mode: "incremental" });
    const second = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(second.finishedAt).toEqual(first.finishedAt);
    expect(await db().syncEvent.count({ where: { runId } })).toBe((await eventsOf(runId)).length);
  });
});
