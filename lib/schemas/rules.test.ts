import { describe, expect, test } from "vitest";
import { ZCreateRule, ZMergedRuleAction, ZRuleAction, ZRuleConditions, ZUpdateRule } from "./rules";

const connectionId = "6f1f7b7e-4c1a-4d0e-9a59-1f2c3d4e5f60";

describe("ZRuleConditions", () => {
  test("defaults every condition to empty (no restriction)", () => {
    expect(ZRuleConditions.parse({})).toEqual({
      severities: [],
      recommendationKeys: [],
      categories: [],
      subscriptionIds: [],
      resourceGroups: [],
      tags: [],
    });
  });

  test("normalises case-insensitive values and drops repeats", () => {
    const parsed = ZRuleConditions.parse({
      severities: ["High", "High"],
      recommendationKeys: ["ABC-1", "abc-1"],
      subscriptionIds: ["AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE"],
      resourceGroups: [" RG-Prod ", "rg-prod"],
      tags: [{ key: "env", value: "prod" }, { key: "owner" }],
    });
    expect(parsed.severities).toEqual(["High"]);
    expect(parsed.recommendationKeys).toEqual(["abc-1"]);
    expect(parsed.subscriptionIds).toEqual(["aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"]);
    expect(parsed.resourceGroups).toEqual(["rg-prod"]);
    expect(parsed.tags).toEqual([
      { key: "env", value: "prod" },
      { key: "owner", value: null },
    ]);
  });

  test("refuses unknown severities, malformed subscription ids, a tag named twice, unknown keys", () => {
    expect(ZRuleConditions.safeParse({ severities: ["Critical"] }).success).toBe(false);
    expect(ZRuleConditions.safeParse({ subscriptionIds: ["not-a-guid"] }).success).toBe(false);
    expect(ZRuleConditions.safeParse({ tags: [{ key: "env" }, { key: "env", value: "x" }] }).success).toBe(false);
    expect(ZRuleConditions.safeParse({ severity: ["High"] }).success).toBe(false);
    expect(ZRuleConditions.safeParse({ resourceGroups: ["a\nb"] }).success).toBe(false);
  });
});

describe("ZRuleAction", () => {
  test("fills defaults: incident, one ticket per finding, 30 days, no owner", () => {
    expect(ZRuleAction.parse({})).toEqual({
      table: "incident",
      changeType: null,
      grouping: "per_finding",
      assignmentGroup: null,
      ownerSource: "none",
      ownerValue: null,
      remediationDays: 30,
      gracePeriod: false,
    });
  });

  test("needs an owner value for fixed and tag owners and none otherwise", () => {
    expect(ZRuleAction.safeParse({ ownerSource: "tag" }).success).toBe(false);
    expect(ZRuleAction.safeParse({ ownerSource: "fixed", ownerValue: "ada@contoso.example" }).success).toBe(true);
    expect(ZRuleAction.safeParse({ ownerSource: "none", ownerValue: "x" }).success).toBe(false);
  });

  test("allows a change type only on change requests and bounds the timeframe", () => {
    expect(ZRuleAction.safeParse({ table: "incident", changeType: "normal" }).success).toBe(false);
    expect(ZRuleAction.safeParse({ table: "change_request", changeType: "emergency" }).success).toBe(true);
    expect(ZRuleAction.safeParse({ remediationDays: 0 }).success).toBe(false);
    expect(ZRuleAction.safeParse({ remediationDays: 366 }).success).toBe(false);
    expect(ZRuleAction.safeParse({ table: "sn_vulc_result_group" }).success).toBe(false);
  });

  test("checks merged actions with the same cross-field rules", () => {
    const stored = ZRuleAction.parse({ ownerSource: "fixed", ownerValue: "ada@contoso.example" });
    expect(ZMergedRuleAction.safeParse({ ...stored, ownerSource: "tag", ownerValue: null }).success).toBe(false);
    expect(ZMergedRuleAction.safeParse({ ...stored, ownerSource: "none", ownerValue: null }).success).toBe(true);
  });
});

describe("ZCreateRule / ZUpdateRule", () => {
  test("a name and a connection are enough; the rule starts disabled", () => {
    const rule = ZCreateRule.parse({ name: "  High on prod ", connectionId });
    expect(rule.name).toBe("High on prod");
    expect(rule.enabled).toBe(false);
    expect(rule.priority).toBeUndefined();
    expect(rule.action.grouping).toBe("per_finding");
  });

  test("refuses priorities out of range and unknown fields", () => {
    expect(ZCreateRule.safeParse({ name: "x", connectionId, priority: 0 }).success).toBe(false);
    expect(ZCreateRule.safeParse({ name: "x", connectionId, priority: 100_001 }).success).toBe(false);
    expect(ZCreateRule.safeParse({ name: "x", connectionId, extra: 1 }).success).toBe(false);
    expect(ZUpdateRule.safeParse({ action: { table: "incident", bogus: true } }).success).toBe(false);
    expect(ZUpdateRule.safeParse({ enabled: true }).success).toBe(true);
  });
});
