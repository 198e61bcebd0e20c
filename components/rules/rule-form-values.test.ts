import { describe, expect, test } from "vitest";
import { type TRuleDto, ZCreateRule } from "@/lib/schemas/rules";
import { initialValues, toCreateInput, toUpdateInput } from "./rule-form-values";

const connectionId = "6f1f7b7e-4c1a-4d0e-9a59-1f2c3d4e5f60";

const rule: TRuleDto = {
  id: "11111111-1111-4111-8111-111111111111",
  name: "High on prod",
  description: "",
  enabled: false,
  priority: 10,
  connection: { id: connectionId, name: "SN", isArchived: false, itsmEnabled: true },
  conditions: {
    severities: ["High"],
    recommendationKeys: [],
    categories: [],
    subscriptionIds: [],
    resourceGroups: ["rg-prod"],
    tags: [
      { key: "env", value: "prod" },
      { key: "owner", value: null },
    ],
  },
  isValid: true,
  action: {
    table: "incident",
    changeType: null,
    grouping: "per_resource_group",
    assignmentGroup: null,
    ownerSource: "tag",
    ownerValue: "owner",
    remediationDays: 14,
    gracePeriod: false,
  },
  ticketCount: 0,
  createdAt: "2026-11-30T00:00:00.000Z",
  updatedAt: "2026-11-30T00:00:00.000Z",
};

describe("toCreateInput", () => {
  test("a filled-in new form is a valid create request; empty texts become null and blank tag rows are dropped", () => {
    const v = {
      ...initialValues(null, connectionId),
      name: "New",
      assignmentGroup: "  ",
      tags: [
        { key: "env", value: "" },
        { key: "", value: "" },
      ],
    };
    const input = toCreateInput(v);
    expect(input.priority).toBeUndefined();
    expect(input.action).toMatchObject({ assignmentGroup: null, ownerValue: null, remediationDays: 30, changeType: null });
    expect(input.conditions?.tags).toEqual([{ key: "env", value: null }]);
    expect(ZCreateRule.safeParse(input).success).toBe(true);
  });

  test("a number typed wrongly is sent as such (NaN → the server names the field), never dropped", () => {
    const input = toCreateInput({ ...initialValues(null, connectionId), name: "x", remediationDays: "ten" });
    expect(Number.isNaN(input.action?.remediationDays)).toBe(true);
  });
});

describe("toUpdateInput", () => {
  test("an untouched form sends nothing", () => {
    expect(toUpdateInput(initialValues(rule, connectionId), initialValues(rule, connectionId))).toEqual({});
  });

  test("sends only changed fields; conditions whole; the action field by field", () => {
    const before = initialValues(rule, connectionId);
    const after = { ...before, name: "Renamed", resourceGroups: [...before.resourceGroups, "rg-dr"], remediationDays: "21", priority: "5" };
    expect(toUpdateInput(after, before)).toEqual({
      name: "Renamed",
      priority: 5,
      conditions: { ...rule.conditions, resourceGroups: ["rg-prod", "rg-dr"] },
      action: { remediationDays: 21 },
    });
  });
});
