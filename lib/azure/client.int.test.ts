// Conformance: the real @azure/arm-security SecurityCenter (through lib/azure) against the ARM emulator.
// Multi-page listings must equal the emulator's data exactly, also when a page fails mid-listing
// (503 and 429+Retry-After retried by the SDK, 429 without Retry-After by our policy, dropped connections).
// A private emulator set: these tests inject faults and read counters, which would disturb other files.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { privateEmulators, type TestEmulators } from "@/emulators/common/testing";
import type { Assessment } from "@/emulators/seed/types";
import { AppError } from "@/lib/http/errors";
import { emulatorAzureClient } from "@/lib/ingestion/testing/fixtures";
import { type AzureClient } from "./client";
import type { AzureAssessment } from "./schemas";

let emu: TestEmulators;
let client: AzureClient;
let subscriptionId: string;
const LIST_ROUTE = "/*scope/providers/Microsoft.Security/assessments";

beforeAll(async () => {
  emu = await privateEmulators();
  const m = emu.manifest;
  subscriptionId = m.arm.subscriptionIds[0]!;
  client = emulatorAzureClient(m, {
    retry: { retryDelayInMs: 20, maxRetryDelayInMs: 200 },
    throttle: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 50 },
  });
}, 60_000);
afterAll(() => emu?.stop());
beforeEach(async () => {
  await emu.control("arm", "POST", "/_emulator/reset", { state: false, faults: true, counters: true, clock: false });
});

async function collect(stream: AsyncGenerator<AzureAssessment[]>): Promise<{ items: AzureAssessment[]; pages: number }> {
  const items: AzureAssessment[] = [];
  let pages = 0;
  for await (const page of stream) {
    pages++;
    items.push(...page);
  }
  return { items, pages };
}

async function emulatorData(sub: string): Promise<Assessment[]> {
  const { body } = await emu.control<{ value: Assessment[] }>("arm", "GET", `/_emulator/assessments?subscriptionId=${sub}`);
  return body.value;
}

function expectSameData(listed: AzureAssessment[], expected: Assessment[]) {
  expect(
    listed.map((a) => ({
      id: a.id,
      key: a.key,
      resourceId: a.resourceId,
      subscriptionId: a.subscriptionId,
      status: a.status,
      cause: a.cause,
      description: a.description,
      firstEvaluationDate: a.firstEvaluationDate,
      statusChangeDate: a.statusChangeDate,
    })),
  ).toEqual(
    expected.map((a) => ({
      id: a.id,
      key: a.key,
      resourceId: a.resourceId,
      subscriptionId: a.subscriptionId,
      status: a.status,
      cause: a.cause ?? null,
      description: a.description ?? null,
      firstEvaluationDate: a.firstEvaluationDate,
      statusChangeDate: a.statusChangeDate,
    })),
  );
}

async function listRequests(status?: number): Promise<number> {
  const { body } = await emu.control<{ value: Array<{ route: string; status: number; count: number }> }>(
    "arm",
    "GET",
    `/_emulator/counters?emulator=arm&route=${encodeURIComponent(LIST_ROUTE)}`,
  );
  return body.value.filter((r) => status === undefined || r.status === status).reduce((sum, r) => sum + r.count, 0);
}

const pageFault = (extra: Record<string, unknown>) => ({
  path: `/subscriptions/${subscriptionId}/providers/Microsoft.Security/assessments`,
  kind: "page",
  page: 2,
  times: 1,
  ...extra,
});

describe("assessments listing", () => {
  test("walks every page (nextLink) and yields exactly the emulator's data", async () => {
    const expected = await emulatorData(subscriptionId);
    expect(expected.length).toBeGreaterThan(100);
    const { items, pages } = await collect(client.assessments(subscriptionId));
    expect(pages).toBe(Math.ceil(expected.length / 100));
    expectSameData(items, expected);
    expect(await listRequests(200)).toBe(pages);
  });

  test("a 503 on page 2 is retried by the SDK and the listing is still complete", async () => {
    expect((await emu.control("arm", "POST", "/_emulator/faults", pageFault({ status: 503 }))).status).toBe(201);
    const { items } = await collect(client.assessments(subscriptionId));
    expectSameData(items, await emulatorData(subscriptionId));
    expect(await listRequests(503)).toBe(1);
  });

  test("a 429 with Retry-After on page 2 is retried by the SDK after the delay", async () => {
    await emu.control("arm", "POST", "/_emulator/faults", pageFault({ status: 429, retryAfter: 1 }));
    const started = Date.now();
    const { items } = await collect(client.assessments(subscriptionId));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expectSameData(items, await emulatorData(subscriptionId));
    expect(await listRequests(429)).toBe(1);
  });

  test("a 429 without Retry-After (which the SDK does not retry) is retried by PostureDesk's policy", async () => {
    await emu.control("arm", "POST", "/_emulator/faults", pageFault({ status: 429, times: 2 }));
    const { items } = await collect(client.assessments(subscriptionId));
    expectSameData(items, await emulatorData(subscriptionId));
    expect(await listRequests(429)).toBe(2);
  });

  test("a 429 without Retry-After that persists ends as UPSTREAM_RATE_LIMITED after a bounded number of retries", async () => {
    await emu.control("arm", "POST", "/_emulator/faults", pageFault({ status: 429, times: 50 }));
    const error = await collect(client.assessments(subscriptionId)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("UPSTREAM_RATE_LIMITED");
    expect(await listRequests(429)).toBe(4); // the first answer + 3 retries
  });

  test("a dropped connection is retried and the listing completes", async () => {
    await emu.control("arm", "POST", "/_emulator/faults", {
      path: `/subscriptions/${subscriptionId}/providers/Microsoft.Security/assessments`,
      kind: "drop",
      times: 1,
    });
    const { items } = await collect(client.assessments(subscriptionId));
    expectSameData(items, await emulatorData(subscriptionId));
    expect(await listRequests(0)).toBe(1);
  });

  test("a status flipped through the control API shows in the next listing with a new statusChangeDate", async () => {
    const [first] = (await emulatorData(subscriptionId)).filter((a) => a.status === "Unhealthy");
    const flip = await emu.control<{ changed: number }>("arm", "POST", "/_emulator/assessments/status", {
      ids: [first!.id],
      status: "Healthy",
    });
    expect(flip.body.changed).toBe(1);
    try {
      const a = await client.getAssessment(first!.resourceId, first!.key, { expand: "links" });
      expect(a.status).toBe("Healthy");
      expect(a.statusChangeDate! > first!.statusChangeDate).toBe(true);
      expect(a.portalUrl).toContain(first!.key);
    } finally {
      await emu.control("arm", "POST", "/_emulator/assessments/status", { ids: [first!.id], status: "Unhealthy" });
    }
  });
});

describe("other Defender listings", () => {
  test("recommendations, secure score, controls and regulatory compliance parse and agree with each other", async () => {
    const recommendations = [];
    for await (const page of client.recommendations(subscriptionId)) recommendations.push(...page);
    expect(recommendations).toHaveLength(25);
    expect(recommendations.find((r) => r.displayName === "Machines should have vulnerability findings resolved")).toMatchObject({
      severity: "High",
      categories: ["Compute"],
    });

    const scores = [];
    for await (const page of client.secureScores(subscriptionId)) scores.push(...page);
    expect(scores).toHaveLength(1);
    const controls = [];
    for await (const page of client.secureScoreControls(subscriptionId)) controls.push(...page);
    expect(controls.length).toBeGreaterThan(10);
    const evaluated = controls.filter((c) => c.healthy + c.unhealthy > 0);
    expect(scores[0]!.max).toBe(evaluated.reduce((sum, c) => sum + c.max, 0));
    expect(scores[0]!.current).toBeCloseTo(
      evaluated.reduce((sum, c) => sum + c.current, 0),
      1,
    );

    const standards = [];
    for await (const page of client.complianceStandards(subscriptionId)) standards.push(...page);
    expect(standards.map((s) => s.name)).toContain("PCI-DSS-4");
    const controlsOfPci = [];
    for await (const page of client.complianceControls(subscriptionId, "PCI-DSS-4")) controlsOfPci.push(...page);
    const failed = controlsOfPci.find((c) => c.state === "Failed")!;
    const assessments = [];
    for await (const page of client.complianceAssessments(subscriptionId, "PCI-DSS-4", failed.name)) assessments.push(...page);
    expect(assessments.some((a) => a.failedResources > 0)).toBe(true);
  });

  test("the subscription list holds the seeded subscriptions", async () => {
    const subs = await client.listSubscriptions();
    expect(subs.map((s) => s.subscriptionId)).toEqual(emu.manifest.arm.subscriptionIds);
  });
});
