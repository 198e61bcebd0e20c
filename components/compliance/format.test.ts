import { describe, expect, test } from "vitest";
import { describeChange, formatHours, formatPct } from "./format";

describe("formatPct", () => {
  test("returns one decimal and a dash for null", () => {
    expect([formatPct(72.456), formatPct(100), formatPct(0), formatPct(null)]).toEqual(["72.5%", "100%", "0%", "—"]);
  });
});

describe("formatHours", () => {
  test("returns hours below two days and days above", () => {
    expect([formatHours(5.55), formatHours(36), formatHours(72), formatHours(null)]).toEqual(["5.6 h", "36 h", "3 d", "—"]);
  });
});

describe("describeChange", () => {
  test("returns the direction and size of the change", () => {
    expect(describeChange("Secure score", 60, 72.5, "%")).toBe("Secure score went from 60% to 72.5% (up 12.5 points).");
    expect(describeChange("Unhealthy findings", 1200, 900)).toBe("Unhealthy findings went from 1,200 to 900 (down 300).");
    expect(describeChange("Coverage", 50, 50, "%")).toBe("Coverage stayed at 50%.");
    expect(describeChange("Coverage", null, 50, "%")).toBe("Coverage: no data in this range.");
  });
});
