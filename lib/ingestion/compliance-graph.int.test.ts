// Regulatory compliance read through Resource Graph (`securityresources`) stores exactly what the ARM
// listings store, in a handful of requests instead of one listing per standard and per control.
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { ingestDefender } from "./ingest";
import { newRun, registerEmulatorTenant } from "./testing/fixtures";
import { integrationSuite } from "@/test/integration";

const suite = integrationSuite({ emulators: "private", timeoutMs: 60_000 });

async function complianceTables() {
  const order = { orderBy: [{ subscriptionId: "asc" as const }, { name: "asc" as const }] };
  const strip = <T extends Record<string, unknown>>(rows: T[]) => rows.map(({ id: _id, createdAt: _c, updatedAt: _u, ...rest }) => rest);
  return {
    standards: strip(await db().regulatoryStandard.findMany(order)),
    controls: strip(
      await db().regulatoryControl.findMany({ orderBy: [{ subscriptionId: "asc" }, { standardName: "asc" }, { name: "asc" }] }),
    ),
    assessments: strip(
      await db().regulatoryAssessment.findMany({
        orderBy: [{ subscriptionId: "asc" }, { standardName: "asc" }, { controlName: "asc" }, { name: "asc" }],
      }),
    ),
    scores: strip(await db().secureScore.findMany(order)),
    scoreControls: strip(await db().secureScoreControl.findMany({ orderBy: [{ subscriptionId: "asc" }, { controlName: "asc" }] })),
  };
}

type Counter = { route: string; method: string; count: number; status: number };
async function armRequests(): Promise<Counter[]> {
  return (await suite.emu.control<{ value: Counter[] }>("arm", "GET", "/_emulator/counters?emulator=arm")).body.value;
}
const sum = (rows: Counter[], match: (r: Counter) => boolean) => rows.filter(match).reduce((n, r) => n + r.count, 0);
const isComplianceListing = (r: Counter) => /regulatoryComplianceStandards/i.test(r.route);
const isScoreListing = (r: Counter) => /secureScore/i.test(r.route);
const isGraph = (r: Counter) => /ResourceGraph/i.test(r.route);

describe("regulatory compliance and secure scores through Resource Graph", () => {
  test("stores the same standards, controls, assessments and secure scores as the ARM listings, with a few queries instead of one listing per control and per subscription", async () => {
    const tenant = await registerEmulatorTenant(suite.emu.manifest);

    await suite.emu.control("arm", "POST", "/_emulator/counters/reset");
    await ingestDefender(tenant.id, { mode: "full", runId: await newRun(tenant.id), strategy: "resource-graph" });
    const viaGraph = await complianceTables();
    const graphCounters = await armRequests();
    expect(sum(graphCounters, isComplianceListing)).toBe(0);
    expect(sum(graphCounters, isScoreListing)).toBe(0);

    await suite.emu.control("arm", "POST", "/_emulator/counters/reset");
    await ingestDefender(tenant.id, { mode: "full", runId: await newRun(tenant.id), strategy: "arm" });
    const viaArm = await complianceTables();
    const armCounters = await armRequests();

    expect(viaGraph.standards.length).toBe(10);
    expect(viaGraph.controls.length).toBeGreaterThan(20);
    expect(viaGraph.assessments.filter((a) => a.recommendationKey !== null).length).toBeGreaterThan(0);
    expect(viaGraph.scores.length).toBe(2);
    expect(viaGraph.scoreControls.length).toBeGreaterThan(10);
    expect(viaGraph.scoreControls.some((c) => c.assessmentKeys.length > 0)).toBe(true);
    expect(viaGraph).toEqual(viaArm);
    expect(sum(armCounters, isScoreListing)).toBe(2 * 2);
    // ARM: one listing of standards per subscription, one of controls per standard, one of assessments per control.
    const listings = sum(armCounters, isComplianceListing);
    expect(listings).toBeGreaterThanOrEqual(2 + 10 + viaArm.controls.length);
    // Resource Graph for the whole pass (assessments, governance, tags, compliance): far fewer requests.
    expect(sum(graphCounters, isGraph)).toBeLessThan(15);
  }, 120_000);

  test("the stored standards hold a realistic mix of control states, each derived from its assessments", async () => {
    const { standards, controls, assessments } = await complianceTables();
    expect(new Set(standards.map((s) => s.name))).toEqual(
      new Set(["Microsoft-cloud-security-benchmark", "ISO-27001", "PCI-DSS-4", "SOC-2", "NIST-SP-800-53-R5"]),
    );
    // Across the tenant every state occurs, and every standard has passed, failed and manual controls somewhere.
    expect(new Set(controls.map((c) => c.state))).toEqual(new Set(["Passed", "Failed", "Skipped", "Unsupported"]));
    for (const name of new Set(standards.map((s) => s.name))) {
      const of = standards.filter((s) => s.name === name);
      expect(
        of.some((s) => s.passedControls > 0),
        name,
      ).toBe(true);
      expect(
        of.some((s) => s.failedControls > 0),
        name,
      ).toBe(true);
      expect(
        of.every((s) => s.unsupportedControls > 0),
        name,
      ).toBe(true);
    }
    // Real control ids of the standards.
    expect(controls.map((c) => c.name)).toEqual(expect.arrayContaining(["NS-1", "PV-5", "A.9.2.3", "8.4.1", "CC6.1", "AC-2"]));
    for (const c of controls) {
      const own = assessments.filter(
        (a) => a.subscriptionId === c.subscriptionId && a.standardName === c.standardName && a.controlName === c.name,
      );
      const expected =
        own.length === 0
          ? ["Unsupported", "Skipped"]
          : own.some((a) => a.failedResources > 0)
            ? ["Failed"]
            : own.some((a) => a.passedResources > 0)
              ? ["Passed"]
              : ["Skipped"];
      expect(expected, `${c.subscriptionId} ${c.standardName} ${c.name}`).toContain(c.state);
      expect(c.failedAssessments).toBe(own.filter((a) => a.state === "Failed").length);
      expect(own.every((a) => a.recommendationKey !== null)).toBe(true);
    }
  });
});
