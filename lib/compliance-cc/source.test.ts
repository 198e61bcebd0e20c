import { describe, expect, test } from "vitest";
import { policyOf, resultSourceId, SOURCE_ID_MAX } from "./source";

describe("resultSourceId", () => {
  test("returns the lowercase ARM id when it fits the column", () => {
    const id = "/subscriptions/ABC/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa1/providers/Microsoft.Security/assessments/1195AFFF-C881-495E-9BC5-1486211AE03F";
    expect(resultSourceId(id)).toBe(id.toLowerCase());
  });

  test("returns a stable compact id, distinct per finding, when the ARM id is too long to store", () => {
    const long = (n: number) => `/subscriptions/x/resourceGroups/${"r".repeat(200)}/providers/Microsoft.Sql/servers/s/databases/db${n}/providers/Microsoft.Security/assessments/82e20e14-edc5-4373-bfc4-f13121257c37`;
    const a = resultSourceId(long(1));
    expect(a).toMatch(/^82e20e14-edc5-4373-bfc4-f13121257c37@sha256:[0-9a-f]{40}$/);
    expect(a.length).toBeLessThanOrEqual(SOURCE_ID_MAX);
    expect(resultSourceId(long(1).toUpperCase())).toBe(a);
    expect(resultSourceId(long(2))).not.toBe(a);
  });
});

describe("policyOf", () => {
  test("returns one policy per first Defender category, General when there is none", () => {
    expect(policyOf(["IdentityAndAccess", "Data"])).toEqual({ sourceId: "category:identityandaccess", name: "Microsoft Defender for Cloud – Identity And Access", category: "IdentityAndAccess" });
    expect(policyOf([])).toMatchObject({ sourceId: "category:general", category: "General" });
    expect(policyOf([" ", "Compute"]).category).toBe("Compute");
  });
});
