import { describe, expect, test } from "vitest";
import { splitTags, tagLabel } from "./tags";

describe("splitTags", () => {
  test("puts owner then env up front (any casing) and sorts the other tags by name", () => {
    const { primary, others } = splitTags({
      costCenter: "CC-1000",
      Env: "prod",
      app: "payments",
      owner: "ada@contoso.example",
      Zone: "1",
      backup: "",
    });
    expect(primary).toEqual([
      { key: "owner", value: "ada@contoso.example" },
      { key: "Env", value: "prod" },
    ]);
    expect(others.map((t) => t.key)).toEqual(["app", "backup", "costCenter", "Zone"]);
  });

  test("returns nothing for a resource without tags, and only others when there is no owner or env", () => {
    expect(splitTags({})).toEqual({ primary: [], others: [] });
    expect(splitTags({ environment: "dev", team: "blue" })).toEqual({
      primary: [{ key: "environment", value: "dev" }],
      others: [{ key: "team", value: "blue" }],
    });
  });
});

describe("tagLabel", () => {
  test("shows key: value, or the bare key for an empty value", () => {
    expect(tagLabel({ key: "env", value: "prod" })).toBe("env: prod");
    expect(tagLabel({ key: "backup", value: "" })).toBe("backup");
  });
});
