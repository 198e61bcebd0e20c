import { describe, expect, test } from "vitest";
import { defaultLifecycleSettings, withoutIgnoredWrites } from "./lifecycle";

describe("withoutIgnoredWrites", () => {
  test("drops problem.state by default (Rome+) and keeps every other field", () => {
    const settings = defaultLifecycleSettings();
    expect(withoutIgnoredWrites(settings, "problem", { state: "106", close_notes: "x" })).toEqual({ close_notes: "x" });
    expect(withoutIgnoredWrites(settings, "incident", { state: "6", close_notes: "x" })).toEqual({ state: "6", close_notes: "x" });
  });

  test("follows the rules the control API sets", () => {
    const settings = { ...defaultLifecycleSettings(), ignoredWrites: [{ table: "incident", field: "state", reason: "test" }] };
    expect(withoutIgnoredWrites(settings, "incident", { state: "6", work_notes: "n" })).toEqual({ work_notes: "n" });
    expect(withoutIgnoredWrites(settings, "problem", { state: "106" })).toEqual({ state: "106" });
  });
});
