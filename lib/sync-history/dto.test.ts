import { describe, expect, test } from "vitest";
import { flattenCounts, percentOf } from "./dto";

describe("flattenCounts", () => {
  test("keeps numeric leaves under dotted paths and drops everything else", () => {
    expect(
      flattenCounts({
        created: 3,
        defender: { new_finding: 12, step: "assessments", governance: { upserted: 2 } },
        list: [1, 2],
        bad: Number.NaN,
      }),
    ).toEqual({
      created: 3,
      "defender.new_finding": 12,
      "defender.governance.upserted": 2,
    });
  });

  test("returns nothing for values that are not objects", () => {
    expect(flattenCounts(null)).toEqual({});
    expect(flattenCounts("x")).toEqual({});
    expect(flattenCounts([1])).toEqual({});
  });
});

describe("percentOf", () => {
  test("is null while the total is unknown, clamped to 0–100 otherwise", () => {
    expect(percentOf(0, 0)).toBeNull();
    expect(percentOf(1, 3)).toBe(33);
    expect(percentOf(5, 3)).toBe(100);
  });
});
