import { describe, expect, test } from "vitest";
import { normalizeAssessment, normalizeMetadata, recommendationKeyOfCompliance, resourceTypeOf } from "./normalize";

const SUB = "2a5b3c4d-0000-4000-8000-000000000001";
const VM = `/subscriptions/${SUB}/resourceGroups/rg-app-prod/providers/Microsoft.Compute/virtualMachines/vm-web-01`;
const KEY = "1195afff-c881-495e-9bc5-1486211ae03f";

function sdkItem(overrides: Record<string, unknown> = {}) {
  return {
    id: `${VM}/providers/Microsoft.Security/assessments/${KEY}`,
    name: KEY,
    displayName: "Machines should have vulnerability findings resolved",
    resourceDetails: { source: "Azure", id: VM },
    status: {
      code: "Unhealthy",
      cause: "",
      firstEvaluationDate: new Date("2026-01-02T03:04:05Z"),
      statusChangeDate: "2026-02-03T04:05:06Z",
    },
    ...overrides,
  };
}

describe("normalizeAssessment", () => {
  test("reads an SDK (flattened) assessment into the finding's fields", () => {
    const n = normalizeAssessment(sdkItem());
    expect(n).toMatchObject({
      ok: true,
      value: {
        armId: `${VM}/providers/Microsoft.Security/assessments/${KEY}`.toLowerCase(),
        key: KEY,
        subscriptionId: SUB,
        resourceGroup: "rg-app-prod",
        resourceId: VM,
        resourceType: "microsoft.compute/virtualmachines",
        resourceName: "vm-web-01",
        status: "Unhealthy",
        cause: null,
        firstEvaluationAt: new Date("2026-01-02T03:04:05Z"),
        statusChangedAt: new Date("2026-02-03T04:05:06Z"),
      },
    });
  });

  test("reads a Resource Graph row (properties, inline metadata) and normalizes odd casing", () => {
    const n = normalizeAssessment({
      id: `${VM.toUpperCase()}/providers/Microsoft.Security/assessments/${KEY.toUpperCase()}`,
      name: KEY.toUpperCase(),
      properties: {
        resourceDetails: { Source: "Azure", Id: VM },
        status: { code: "notapplicable", cause: "OffByPolicy" },
        links: { azurePortalUri: "https://portal.azure.com/#x" },
        metadata: { displayName: "A recommendation", severity: "high", categories: ["Compute", 3], assessmentType: "BuiltIn" },
      },
    });
    expect(n.ok).toBe(true);
    if (!n.ok) return;
    expect(n.value.armId).toBe(n.value.armId.toLowerCase());
    expect(n.value.key).toBe(KEY);
    expect(n.value.status).toBe("NotApplicable");
    expect(n.value.cause).toBe("OffByPolicy");
    expect(n.value.portalUrl).toBe("https://portal.azure.com/#x");
    expect(n.value.metadata).toMatchObject({ key: KEY, severity: "High", categories: ["Compute"], assessmentType: "BuiltIn" });
  });

  test("falls back to the assessment id for the resource when resourceDetails has no id (on-premises machines)", () => {
    const n = normalizeAssessment(sdkItem({ resourceDetails: { source: "OnPremise", machineName: "srv01" } }));
    expect(n).toMatchObject({ ok: true, value: { resourceId: VM, resourceSource: "OnPremise" } });
  });

  test.each([
    ["not an object", 42, /not an object/],
    ["no id", { name: KEY }, /no id/],
    ["an id that is not an assessment", { id: VM }, /not an assessment id/],
    ["no status", sdkItem({ status: undefined }), /no status/],
    ["a status without code", sdkItem({ status: { cause: "x" } }), /no code/],
    ["an unknown status code", sdkItem({ status: { code: "Degraded" } }), /unknown status code "Degraded"/],
  ])("rejects %s with a reason and a sample", (_label, item, reason) => {
    const n = normalizeAssessment(item);
    expect(n.ok).toBe(false);
    if (n.ok) return;
    expect(n.reason).toMatch(reason);
    expect(n.sample.length).toBeLessThanOrEqual(1001);
  });

  test("ignores unreadable dates instead of rejecting the assessment", () => {
    const n = normalizeAssessment(sdkItem({ status: { code: "Healthy", statusChangeDate: "yesterday" } }));
    expect(n).toMatchObject({ ok: true, value: { status: "Healthy", statusChangedAt: null } });
  });
});

describe("normalizeMetadata", () => {
  test("accepts flattened metadata with odd severity casing and rejects an unknown severity", () => {
    expect(normalizeMetadata({ name: KEY, displayName: "X", severity: "LOW", assessmentType: "BuiltIn" })).toMatchObject({
      ok: true,
      value: { severity: "Low", description: "", threats: [] },
    });
    const bad = normalizeMetadata({ name: KEY, displayName: "X", severity: "Critical" });
    expect(bad).toMatchObject({ ok: false, id: KEY });
    if (!bad.ok) expect(bad.reason).toMatch(/unknown severity "Critical"/);
  });
});

describe("resourceTypeOf", () => {
  test.each([
    [`/subscriptions/${SUB}`, "microsoft.resources/subscriptions"],
    [`/subscriptions/${SUB}/resourceGroups/rg`, "microsoft.resources/resourcegroups"],
    [`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Sql/servers/s1/databases/db1`, "microsoft.sql/servers/databases"],
  ])("%s → %s", (id, type) => expect(resourceTypeOf(id)).toBe(type));
});

describe("recommendationKeyOfCompliance", () => {
  test("reads the key from the details link, else from a GUID name", () => {
    expect(
      recommendationKeyOfCompliance(
        "x",
        `https://portal.azure.com/#blade/Microsoft_Azure_Security/RecommendationsBlade/assessmentKey/${KEY}`,
      ),
    ).toBe(KEY);
    expect(recommendationKeyOfCompliance(KEY.toUpperCase(), undefined)).toBe(KEY);
    expect(recommendationKeyOfCompliance("NS-1", undefined)).toBeNull();
  });
});
