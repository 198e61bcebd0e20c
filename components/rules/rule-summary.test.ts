import { describe, expect, test } from "vitest";
import { EMPTY_CONDITIONS, ZRuleAction } from "@/lib/schemas/rules";
import { describeAction, describeConditions } from "./rule-summary";

describe("describeConditions", () => {
  test("is empty when nothing restricts the rule", () => {
    expect(describeConditions(EMPTY_CONDITIONS)).toEqual([]);
  });

  test("names each restricting condition, with display names when given, and shortens long lists", () => {
    const lines = describeConditions(
      {
        ...EMPTY_CONDITIONS,
        severities: ["High", "Medium"],
        recommendationKeys: ["k1"],
        resourceGroups: ["a", "b", "c", "d"],
        tags: [
          { key: "env", value: "prod" },
          { key: "owner", value: null },
        ],
      },
      { recommendation: (k) => (k === "k1" ? "MFA should be enabled" : k) },
    );
    expect(lines).toEqual([
      "Severity High or Medium",
      "Recommendation MFA should be enabled",
      "Resource group a, b, c +1 more",
      "Tag env = prod",
      "Tag owner present",
    ]);
  });
});

describe("describeAction", () => {
  test("summarises table, grouping, group, owner and timeframe", () => {
    expect(describeAction(ZRuleAction.parse({}))).toBe(
      "Incident · one per finding · to the connection's default group · no owner · due in 30 days",
    );
    expect(
      describeAction(
        ZRuleAction.parse({
          table: "change_request",
          changeType: "emergency",
          grouping: "per_resource_group",
          assignmentGroup: "Network Operations",
          ownerSource: "tag",
          ownerValue: "owner",
          remediationDays: 1,
          gracePeriod: true,
        }),
      ),
    ).toBe(
      'Change request (emergency) · one per resource group · to Network Operations · owner from tag "owner" · due in 1 day (grace period)',
    );
  });
});
