import { afterEach, describe, expect, test } from "vitest";
import { formatLocal, formatRelative, formatUtc, longDay, shortDay, toDate } from "./date";

const AT = "2026-11-30T12:58:04.250Z";
const originalTz = process.env.TZ;

afterEach(() => {
  process.env.TZ = originalTz;
});

describe("toDate", () => {
  test("returns null for missing and unparseable values", () => {
    expect([toDate(null), toDate(undefined), toDate(""), toDate("not a date")]).toEqual([null, null, null, null]);
    expect(toDate(AT)?.toISOString()).toBe(AT);
    expect(toDate(Date.parse(AT))?.toISOString()).toBe(AT);
  });
});

describe("formatUtc", () => {
  test("returns the same English UTC text whatever the process time zone", () => {
    for (const tz of ["UTC", "Pacific/Auckland", "America/Los_Angeles"]) {
      process.env.TZ = tz;
      expect(formatUtc(AT, "date")).toBe("Nov 30, 2026");
      expect(formatUtc(AT, "datetime")).toBe("Nov 30, 2026, 12:58 UTC");
      expect(formatUtc(AT, "datetime-short")).toBe("Nov 30, 12:58 UTC");
      expect(formatUtc(AT, "datetime-seconds")).toBe("Nov 30, 2026, 12:58:04 UTC");
      expect(formatUtc(AT, "full")).toBe("Mon, Nov 30, 2026, 12:58:04 UTC");
    }
  });

  test("pads hours and minutes and returns a dash for a bad value", () => {
    expect(formatUtc("2026-01-05T03:07:09Z", "datetime-seconds")).toBe("Jan 5, 2026, 03:07:09 UTC");
    expect(formatUtc("nope", "date")).toBe("—");
  });
});

describe("formatLocal", () => {
  test("returns the viewer's locale and time zone", () => {
    // 12:58 UTC is already the next day in Auckland (UTC+13 in November).
    expect(formatLocal(AT, "date", { locale: "de-DE", timeZone: "Pacific/Auckland" })).toBe("01. Dez. 2026");
    expect(formatLocal(AT, "datetime", { locale: "de-DE", timeZone: "Pacific/Auckland" })).toBe("01. Dez. 2026, 01:58");
    expect(formatLocal(AT, "datetime-seconds", { locale: "en-US", timeZone: "UTC" })).toMatch(/^Nov 30, 2026, 12:58:04\sPM$/);
    expect(formatLocal(AT, "full", { locale: "en-US", timeZone: "America/New_York" })).toMatch(
      /^Monday, November 30, 2026 at 7:58:04\sAM EST$/,
    );
  });

  test("returns a dash for a bad value", () => {
    expect(formatLocal("nope", "datetime")).toBe("—");
  });
});

describe("formatRelative", () => {
  const now = Date.parse("2026-03-05T12:00:00Z");

  test("returns words within a day, future and past", () => {
    expect(formatRelative("2026-03-05T12:00:20Z", now)).toBe("now");
    expect(formatRelative("2026-03-05T12:30:00Z", now)).toBe("in 30 min");
    expect(formatRelative("2026-03-05T11:57:00Z", now)).toBe("3 min ago");
    expect(formatRelative("2026-03-05T09:00:00Z", now)).toBe("3 h ago");
    expect(formatRelative("2026-03-06T10:00:00Z", now)).toBe("in 22 h");
  });

  test("returns null a day or more away, and for a bad value", () => {
    expect(formatRelative("2026-03-04T11:00:00Z", now)).toBeNull();
    expect(formatRelative("2026-03-07T12:00:00Z", now)).toBeNull();
    expect(formatRelative("nope", now)).toBeNull();
  });
});

describe("shortDay / longDay", () => {
  test("returns calendar days that no time zone shifts", () => {
    process.env.TZ = "America/Los_Angeles";
    expect(shortDay("2026-03-05")).toBe("Mar 5");
    expect(longDay("2026-03-05")).toBe("Mar 5, 2026");
    expect(longDay("2026-12-31")).toBe("Dec 31, 2026");
  });

  test("returns anything that is not a calendar day unchanged", () => {
    expect(shortDay("March")).toBe("March");
    expect(longDay("")).toBe("");
  });
});
