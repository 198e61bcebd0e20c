import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { afterEach, describe, expect, test, vi } from "vitest";
import { DateTime } from "./date-time";

// What the server sends is also what the browser renders while hydrating, so it must not depend on the
// server's time zone or clock. (The switch to the viewer's format after hydration is covered by
// e2e/hydration.spec.ts, in a real browser.)

const AT = "2026-11-30T12:58:04.250Z";
const originalTz = process.env.TZ;

afterEach(() => {
  process.env.TZ = originalTz;
  vi.useRealTimers();
});

describe("DateTime", () => {
  test("renders a <time> with deterministic UTC text and title on the server, whatever its time zone", () => {
    for (const tz of ["UTC", "Pacific/Auckland"]) {
      process.env.TZ = tz;
      expect(renderToString(createElement(DateTime, { value: AT }))).toBe(
        `<time dateTime="${AT}" title="Mon, Nov 30, 2026, 12:58:04 UTC">Nov 30, 2026, 12:58 UTC</time>`,
      );
      expect(renderToString(createElement(DateTime, { value: AT, format: "date", className: "text-xs" }))).toBe(
        `<time dateTime="${AT}" title="Mon, Nov 30, 2026, 12:58:04 UTC" class="text-xs">Nov 30, 2026</time>`,
      );
    }
  });

  test("renders a relative time as its absolute UTC form on the server, not words that age", () => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse(AT) + 3 * 60_000);
    expect(renderToString(createElement(DateTime, { value: AT, format: "relative" }))).toBe(
      `<time dateTime="${AT}" title="Mon, Nov 30, 2026, 12:58:04 UTC">Nov 30, 12:58 UTC</time>`,
    );
  });

  test("renders the fallback for a missing or invalid value", () => {
    expect(renderToString(createElement(DateTime, { value: null }))).toBe("—");
    expect(renderToString(createElement(DateTime, { value: "soon", fallback: "never" }))).toBe("never");
  });
});
