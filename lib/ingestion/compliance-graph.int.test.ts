// Regulatory compliance read through Resource Graph (`securityresources`) stores exactly what the ARM
// listings store, in a handful of requests instead of one listing per standard and per control.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { privateEmulators, type TestEmulators } from "@/emulators/common/testing";
import { db } from "@/lib/db";
import { configureTestEnv } from "@/test/app";
import { type BoundTestDatabase, useTestDatabase } from "@/test/db";
import { ingestDefender } from "./ingest";
import { newRun, registerEmulatorTenant } from "./testing/fixtures";

let database: BoundTestDatabase;
let emu: TestEmulators;

beforeAll(async () => {
  database = await useTestDatabase();
  configureTestEnv(database.url);
  emu = await privateEmulators({ seed: 42, size: "small" });
}, 60_000);
afterAll(async () => {
  await emu?.stop();
  await database?.drop();
});

async function complianceTables() {
  const order = { orderBy: [{ subscriptionId: "asc" as const }, { name: "asc" as const }] };
  const strip = <T extends Record<string, unknown>>(rows: T[]) => rows.map(({ id: _id, createdAt: _c, updatedAt: _u, ...rest }) => rest);
  return {
    standards: strip(await db().regulatoryStandard.findMany(order)),
    controls: strip(await db().regulatoryControl.findMany({ orderBy: [{ subscriptionId: "asc" }, { standardName: "asc" }, { name: "asc" }] })),
    assessments: strip(await db().regulatoryAssessment.findMany({ orderBy: [{ subscriptionId: "asc" }, { standardName: "asc" }, { controlName: "asc" }, { name: "asc" }] })),
  };
}

type Counter = { route: string; method: string; count: number; status: number };
async function armRequests(): Promise<Counter[]> {
  return (await emu.control<{ value: Counter[] }>("arm", "GET", "/_emulator/counters?emulator=arm")).body.value;
}
const sum = (rows: Counter[], match: (r: Counter) => boolean) => rows.filter(match).reduce((n, r) => n + r.count, 0);
const isComplianceListing = (r: Counter) => /regulatoryComplianceStandards/i.test(r.route);
const isGraph = (r: Counter) => /ResourceGraph/i.test(r.route);

describe("regulatory compliance through Resource Graph", () => {
  test("stores the same standards, controls and assessments as the ARM listings, with 3 queries instead of one listing per control", async () => {
    const tenant = await registerEmulatorTenant(emu.manifest);

    await emu.control("arm", "POST", "/_emulator/counters/reset");
    await ingestDefender(tenant.id, { mode: "full", runId: await newRun(tenant.id), strategy: "resource-graph" });
    const viaGraph = await complianceTables();
    const graphCounters = await armRequests();
    expect(sum(graphCounters, isComplianceListing)).toBe(0);

    await emu.control("arm", "POST", "/_emulator/counters/reset");
    await ingestDefender(tenant.id, { mode: "full", runId: await newRun(tenant.id), strategy: "arm" });
    const viaArm = await complianceTables();
    const armCounters = await armRequests();

    expect(viaGraph.standards.length).toBe(10);
    expect(viaGraph.controls.length).toBeGreaterThan(20);
    expect(viaGraph.assessments.filter((a) => a.recommendationKey !== null).length).toBeGreaterThan(0);
    expect(viaGraph).toEqual(viaArm);
    // ARM: one listing of standards per subscription, one of controls per standard, one of assessments per control.
    const listings = sum(armCounters, isComplianceListing);
    expect(listings).toBeGreaterThanOrEqual(2 + 10 + viaArm.controls.length);
    // Resource Graph for the whole pass (assessments, governance, tags, compliance): far fewer requests.
    expect(sum(graphCounters, isGraph)).toBeLessThan(15);
  }, 120_000);
});
