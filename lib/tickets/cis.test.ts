import { describe, expect, test } from "vitest";
import { cisOf, singleCiOf, type CiLookup } from "./cis";

const lookup: CiLookup = {
  byResource: new Map([
    [
      "/subscriptions/s/resourcegroups/rg/providers/microsoft.web/sites/a",
      { sysId: "1", name: "a", objectId: "/subscriptions/s/resourceGroups/RG/providers/Microsoft.Web/sites/a" },
    ],
    [
      "/subscriptions/s/resourcegroups/rg/providers/microsoft.web/sites/b",
      { sysId: "2", name: "b", objectId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/b" },
    ],
  ]),
  warnings: [],
};
const A = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/a";
const B = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/b";
const C = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/c";

describe("singleCiOf", () => {
  test("returns the CI when every finding is on one resource, whatever the casing", () => {
    expect(singleCiOf(lookup, [A, A.toLowerCase()])?.sysId).toBe("1");
  });
  test("returns undefined for several resources or a resource without a CI", () => {
    expect(singleCiOf(lookup, [A, B])).toBeUndefined();
    expect(singleCiOf(lookup, [C])).toBeUndefined();
    expect(singleCiOf(undefined, [A])).toBeUndefined();
  });
});

describe("cisOf", () => {
  test("returns the distinct CIs of the resources that have one", () => {
    expect(cisOf(lookup, [A, B, C, A.toUpperCase()]).map((c) => c.sysId)).toEqual(["1", "2"]);
  });
});
