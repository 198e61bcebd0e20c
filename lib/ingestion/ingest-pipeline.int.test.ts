// The assessment pass's pipeline (listing ahead of a single writer through a bounded queue, queued pages
// written together, secure scores and compliance read alongside) under failures in the middle of a pass:
// a database error on one write and the ingestion's session dying. Either way the run fails as a whole,
// nothing runs on behind it, only whole written batches are stored (each exactly as Defender reported it),
// and the next run ends with exactly the emulator's data, each finding's creation recorded once.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { ingestDefender } from "./ingest";
import {
  activeQueriesOn,
  failNthFindingInsert,
  isIngestionLocked,
  stopFailingFindingInserts,
  terminateIngestionSession,
} from "./testing/faults-sql";
import { asMap, emulatorAssessments, FAST_AZURE, newRun, registerEmulatorTenant, storedFindings } from "./testing/fixtures";
import { integrationSuite } from "@/test/integration";

const suite = integrationSuite({ emulators: { seed: 11, size: "small" } });
let tenant: { id: string };

beforeAll(async () => {
  // 10 per page: ~30 pages, so the queue fills and the writer takes several pages at once.
  await suite.emu.control("arm", "PATCH", "/_emulator/arm/config", { pageSize: 10 });
  tenant = await registerEmulatorTenant(suite.emu.manifest);
});

afterAll(async () => {
  await stopFailingFindingInserts().catch(() => undefined);
});

/** Every stored finding is one the emulator reports, with its status (a subset, nothing invented). */
function expectSubsetOf(stored: Map<string, string>, expected: Map<string, string>): void {
  for (const [armId, status] of stored) expect(expected.get(armId), armId).toBe(status);
}

async function newFindingEvents(runId: string): Promise<{ perFinding: number; perRecommendation: number }> {
  const perFinding = await db().syncEvent.count({ where: { runId, action: "new_finding", entityType: "finding" } });
  const grouped = await db().syncEvent.findMany({
    where: { runId, action: "new_finding", entityType: "recommendation" },
    select: { after: true },
  });
  return { perFinding, perRecommendation: grouped.reduce((n, e) => n + Number((e.after as { count: number }).count), 0) };
}

describe("the ingestion pipeline under failures mid-pass", () => {
  test("a database error on the 3rd write fails the run; the stored rows are whole batches; the next run completes exactly once", async () => {
    const expected = asMap(await emulatorAssessments(suite.emu.manifest.arm.url));
    await failNthFindingInsert(3);
    const failedRun = await newRun(tenant.id);
    await expect(
      ingestDefender(tenant.id, { mode: "full", runId: failedRun, strategy: "arm", azure: FAST_AZURE, retryDelayMs: 10 }),
    ).rejects.toThrow(/injected write failure/);

    // Nothing runs on behind the failed pass (scores, compliance) and its lock is free.
    expect(await isIngestionLocked(tenant.id)).toBe(false);
    expect(await activeQueriesOn("SecureScore")).toBe(0);
    expect(await activeQueriesOn("RegulatoryAssessment")).toBe(0);
    const partial = await storedFindings(tenant.id);
    expect(partial.size).toBeGreaterThan(0);
    expect(partial.size).toBeLessThan(expected.size);
    expectSubsetOf(partial, expected);
    // The failed statement wrote nothing (the writes before it did), and nothing was marked removed.
    expect(await db().finding.count({ where: { azureTenantId: tenant.id, removedAt: { not: null } } })).toBe(0);
    // A failed first pass records no per-recommendation summary of what it did not finish.
    expect(await newFindingEvents(failedRun)).toEqual({ perFinding: 0, perRecommendation: 0 });

    await stopFailingFindingInserts();
    const runId = await newRun(tenant.id);
    const result = await ingestDefender(tenant.id, { mode: "full", runId, strategy: "arm", azure: FAST_AZURE, retryDelayMs: 10 });
    expect(result.status).toBe("succeeded");
    expect(await storedFindings(tenant.id)).toEqual(expected);
    // The rest are new in this run, recorded once each; what the failed run stored is not new again.
    expect(await newFindingEvents(runId)).toEqual({ perFinding: expected.size - partial.size, perRecommendation: 0 });
    expect(result.counts).toMatchObject({ findings: { new: expected.size - partial.size } });
    expect(await db().syncEvent.count({ where: { runId, action: "removed" } })).toBe(0);
    expect(await db().secureScore.count()).toBeGreaterThan(0);
  });

  test("the ingestion's session dying mid-pass (a crash, as PostgreSQL sees it) fails the run and frees the tenant; the next run is exact", async () => {
    // A first ingestion again: none of the tenant's findings stored.
    await db().finding.deleteMany({ where: { azureTenantId: tenant.id } });
    const expected = asMap(await emulatorAssessments(suite.emu.manifest.arm.url));
    const crashedRun = await newRun(tenant.id);
    const crashing = ingestDefender(tenant.id, { mode: "full", runId: crashedRun, strategy: "arm", azure: FAST_AZURE, retryDelayMs: 10 });
    crashing.catch(() => undefined);
    // Once some pages are written, kill the session that writes them.
    let terminated = 0;
    for (let i = 0; i < 1_000 && terminated === 0; i++) {
      if ((await db().finding.count({ where: { azureTenantId: tenant.id } })) > 0) terminated = await terminateIngestionSession(tenant.id);
      else await new Promise((r) => setTimeout(r, 5));
    }
    await expect(crashing).rejects.toThrow();
    expect(terminated).toBe(1);
    expect(await isIngestionLocked(tenant.id)).toBe(false);
    expect(await activeQueriesOn("SecureScore")).toBe(0);
    const partial = await storedFindings(tenant.id);
    expect(partial.size).toBeLessThan(expected.size);
    expectSubsetOf(partial, expected);

    const runId = await newRun(tenant.id);
    const result = await ingestDefender(tenant.id, { mode: "full", runId, strategy: "arm", azure: FAST_AZURE, retryDelayMs: 10 });
    expect(result.status).toBe("succeeded");
    expect(await storedFindings(tenant.id)).toEqual(expected);
    const events = await newFindingEvents(runId);
    expect(events.perFinding + events.perRecommendation).toBe(expected.size - partial.size);
  });
});
