import { describe, expect, test } from "vitest";
import { shortDescriptionOf, type DraftFinding } from "@/lib/tickets/draft-text";
import { byEvaluationOrder, dueDateOf, partKey, plannedShortDescription } from "./plan-text";

function finding(resourceName: string, rec: { key: string; displayName: string }): DraftFinding {
  return {
    id: resourceName,
    resourceId: `/subscriptions/s/resourceGroups/rg/providers/x/${resourceName}`,
    resourceName,
    resourceType: "x",
    resourceGroup: "rg",
    subscriptionId: "s",
    severity: "High",
    portalUrl: null,
    recommendation: { ...rec, severity: "High", description: "", remediation: "" },
  };
}

describe("plannedShortDescription", () => {
  const a = { key: "a", displayName: "Storage accounts should restrict network access" };
  const b = { key: "b", displayName: "MFA should be enabled" };

  test("says what the ticket service says for one finding, one recommendation with many, and several recommendations", () => {
    const cases: DraftFinding[][] = [
      [finding("vm-01", a)],
      [finding("vm-01", a), finding("vm-02", a), finding("vm-03", a)],
      [finding("vm-01", a), finding("vm-02", b)],
    ];
    for (const findings of cases) {
      const recs = [...new Map(findings.map((f) => [f.recommendation.key, f.recommendation])).values()];
      expect(
        plannedShortDescription({ recommendations: recs, findingCount: findings.length, firstResource: findings[0]!.resourceName }),
      ).toBe(shortDescriptionOf(findings));
    }
  });

  test("truncates to 160 characters like the ticket service", () => {
    const long = { key: "l", displayName: "x".repeat(300) };
    const text = plannedShortDescription({ recommendations: [long], findingCount: 1, firstResource: "vm" });
    expect(text).toHaveLength(160);
    expect(text).toBe(shortDescriptionOf([finding("vm", long)]));
  });
});

describe("partKey", () => {
  test("numbers parts from 1 only when a group is split", () => {
    expect(partKey("recommendation:abc", 0, 1)).toBe("recommendation:abc");
    expect(partKey("recommendation:abc", 0, 3)).toBe("recommendation:abc#1");
    expect(partKey("recommendation:abc", 2, 3)).toBe("recommendation:abc#3");
  });
});

describe("byEvaluationOrder", () => {
  test("puts lower numbers first and a draft before a stored rule with the same number", () => {
    const rules = [
      { id: "b", priority: 20 },
      { id: "draft", priority: 10, isDraft: true },
      { id: "a", priority: 10 },
      { id: "c", priority: 5 },
    ];
    expect(rules.sort(byEvaluationOrder).map((r) => r.id)).toEqual(["c", "draft", "a", "b"]);
  });
});

describe("dueDateOf", () => {
  test("adds whole days to the reference time", () => {
    expect(dueDateOf(new Date("2026-11-30T10:00:00Z"), 30).toISOString()).toBe("2026-12-30T10:00:00.000Z");
  });
});
