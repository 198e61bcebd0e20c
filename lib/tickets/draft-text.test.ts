import { describe, expect, test } from "vitest";
import { DEFAULT_SEVERITY_MAPPING } from "@/lib/schemas/connections";
import { type DraftFinding, defaultFields, plainText, priorityOf, withOverrides } from "./draft-text";

const rec = (key: string, severity: "High" | "Medium" | "Low") => ({
  key,
  displayName: `Recommendation ${key}`,
  severity,
  description: "<p>Why it matters.</p>",
  remediation: "1. Do this.<br>2. Then that.",
});

function finding(i: number, severity: "High" | "Medium" | "Low" = "Medium", key = "k1"): DraftFinding {
  return {
    id: `f${i}`,
    resourceId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st${i}`,
    resourceName: `st${i}`,
    resourceType: "Microsoft.Storage/storageAccounts",
    resourceGroup: "rg",
    subscriptionId: "s",
    severity,
    portalUrl: `https://portal.azure.com/#f${i}`,
    recommendation: rec(key, severity),
  };
}

const now = new Date("2026-01-01T00:00:00Z");
const defaults = { assignmentGroup: "Cloud Security Operations", callerId: "ari.analyst" };

describe("defaultFields", () => {
  test("prefills one resource: its name in the short description, resources and remediation in the description", () => {
    const f = defaultFields({ type: "incident", findings: [finding(1)], mapping: DEFAULT_SEVERITY_MAPPING, defaults, now });
    expect(f.shortDescription).toBe("Defender for Cloud: Recommendation k1 – st1");
    expect(f.description).toContain("Remediation steps:\n1. Do this.\n2. Then that.");
    expect(f.description).toContain("Resource: /subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1");
    expect(f.description).toContain("Defender for Cloud: https://portal.azure.com/#f1");
    expect(f).toMatchObject({
      impact: 2,
      urgency: 2,
      priority: 3,
      remediationDays: 60,
      dueDate: "2026-03-02T00:00:00.000Z",
      assignmentGroup: "Cloud Security Operations",
      callerId: "ari.analyst",
      changeType: null,
    });
  });

  test("takes impact, urgency and due date from the highest severity; counts resources", () => {
    const f = defaultFields({
      type: "problem",
      findings: [finding(1, "Low"), finding(2, "High")],
      mapping: DEFAULT_SEVERITY_MAPPING,
      defaults,
      now,
    });
    expect(f).toMatchObject({ impact: 1, urgency: 2, priority: 2, remediationDays: 30, callerId: null });
    expect(f.shortDescription).toBe("Defender for Cloud: Recommendation k1 – 2 resources");
  });

  test("names several recommendations and keeps short descriptions within 160 characters", () => {
    const long = { ...finding(1), recommendation: { ...rec("k1", "Medium"), displayName: "x".repeat(300) } };
    expect(
      defaultFields({ type: "incident", findings: [long], mapping: DEFAULT_SEVERITY_MAPPING, defaults, now }).shortDescription,
    ).toHaveLength(160);
    const mixed = defaultFields({
      type: "change_request",
      findings: [finding(1), finding(2, "Medium", "k2")],
      mapping: DEFAULT_SEVERITY_MAPPING,
      defaults,
      now,
    });
    expect(mixed.shortDescription).toBe("Defender for Cloud: 2 findings across 2 recommendations");
    expect(mixed.changeType).toBe("normal");
  });

  test("lists at most 50 resources", () => {
    const many = Array.from({ length: 60 }, (_, i) => finding(i));
    const f = defaultFields({ type: "incident", findings: many, mapping: DEFAULT_SEVERITY_MAPPING, defaults, now });
    expect(f.description).toContain("… and 10 more");
  });
});

describe("withOverrides", () => {
  const findings = [finding(1)];
  const base = defaultFields({ type: "incident", findings, mapping: DEFAULT_SEVERITY_MAPPING, defaults, now });

  test("applies overrides and recomputes priority", () => {
    const f = withOverrides(base, { impact: 1, urgency: 1, assignmentGroup: "Service Desk", shortDescription: "Mine" }, { findings, now });
    expect(f).toMatchObject({ impact: 1, urgency: 1, priority: 1, assignmentGroup: "Service Desk", shortDescription: "Mine" });
  });

  test("moves the due date by days or to a date, and rewrites the description's deadline", () => {
    expect(withOverrides(base, { remediationDays: 7 }, { findings, now }).dueDate).toBe("2026-01-08T00:00:00.000Z");
    const dated = withOverrides(base, { dueDate: "2026-02-01" }, { findings, now });
    expect(dated.dueDate).toBe("2026-02-01T00:00:00.000Z");
    expect(dated.description).toContain("Remediate by 2026-02-01.");
    expect(dated.remediationDays).toBe(31);
  });
});

describe("priorityOf and plainText", () => {
  test("follows ServiceNow's impact × urgency matrix", () => {
    expect([priorityOf(1, 1), priorityOf(1, 3), priorityOf(2, 2), priorityOf(3, 3)]).toEqual([1, 3, 3, 5]);
  });
  test("turns simple HTML into text", () => {
    expect(plainText("<ul><li>a</li><li>b &amp; c</li></ul>")).toBe("- a\n- b & c");
  });
});
