import { describe, expect, test } from "vitest";
import { formatCount } from "./number";

describe("formatCount", () => {
  test("returns English digit grouping whatever the runtime's locale", () => {
    expect([formatCount(0), formatCount(999), formatCount(1234), formatCount(1234567), formatCount(-2500)]).toEqual([
      "0",
      "999",
      "1,234",
      "1,234,567",
      "-2,500",
    ]);
  });
});
