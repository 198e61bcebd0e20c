import { describe, expect, test } from "vitest";
import { describeChange, formatHours, formatPct } from "./format";

describe("formatPct", () => {
  test("returns one decimal and a dash for null", () => {
    expect([formatPct(72.456), formatPct(100), formatPct(0), formatPct(null)]).toEqual(["72.5%", "100%", "0%", "—"]);
  });
});

describe("formatHours", () => {
  test("returns minutes below an hour, hours below two days and days above, with useful precision", () => {
    expect([
      formatHours(0.25),
      formatHours(0.001),
      formatHours(5.55),
      formatHours(36.4),
      formatHours(72),
      formatHours(80),
      formatHours(500),
      formatHours(null),
    ]).toEqual(["15 min", "1 min", "5.6 h", "36 h", "3 d", "3.3 d", "21 d", "—"]);
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
