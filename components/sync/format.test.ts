import { describe, expect, test } from "vitest";
import { changesOf, countLabel, formatDuration, headlineCounts, progressLine, showValue } from "./format";

describe("formatDuration", () => {
  test("reads naturally from milliseconds to hours", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(850)).toBe("0.9 s");
    expect(formatDuration(42_000)).toBe("42 s");
    expect(formatDuration(75_000)).toBe("1 min 15 s");
    expect(formatDuration(120_000)).toBe("2 min");
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe("2 h 5 min");
    expect(formatDuration(3_600_000)).toBe("1 h");
  });
});

describe("countLabel", () => {
  test("turns count paths into words", () => {
    expect(countLabel("rules.created")).toBe("Tickets created by rules");
    expect(countLabel("defender.findings.new")).toBe("New findings");
    expect(countLabel("defender.timings.pageWrites")).toBe("Time spent on saving findings");
    expect(countLabel("timings.rules")).toBe("Time spent on rules");
    expect(countLabel("ticketsResolved")).toBe("Tickets resolved");
  });
});

describe("changesOf", () => {
  test("lists the fields that differ, with null for a side that lacks them", () => {
    expect(changesOf({ state: "1", assignee: null, same: 1 }, { state: "6", assignee: "Ada", same: 1 })).toEqual([
      { field: "state", before: "1", after: "6" },
      { field: "assignee", before: null, after: "Ada" },
    ]);
    expect(changesOf(null, { number: "INC1" })).toEqual([{ field: "number", before: null, after: "INC1" }]);
  });

  test("treats plain values as one change and equal values as none", () => {
    expect(changesOf("Unhealthy", "Healthy")).toEqual([{ field: "value", before: "Unhealthy", after: "Healthy" }]);
    expect(changesOf(null, null)).toEqual([]);
    expect(changesOf([1], [1])).toEqual([]);
  });
});

describe("showValue", () => {
  test("shows empty values as ∅ and shortens long JSON", () => {
    expect(showValue(null)).toBe("∅");
    expect(showValue("x")).toBe("x");
    expect(showValue({ a: 1 })).toBe('{"a":1}');
    expect(showValue({ a: "y".repeat(200) })).toHaveLength(120);
  });
});

describe("headlineCounts", () => {
  test("names what changed, errors last, and nothing for an empty run", () => {
    expect(headlineCounts({ eventCounts: { error: 2, created: 3, resolved: 1 } })).toBe("3 tickets created · 1 ticket resolved · 2 errors");
    expect(headlineCounts({ eventCounts: { error: 1 } })).toBe("1 error");
    expect(headlineCounts({ eventCounts: { new_finding: 80 } })).toBe("New findings on 80 recommendations");
    expect(headlineCounts({ eventCounts: {} })).toBe("");
  });
});

describe("progressLine", () => {
  test('never reads "0 of ?": without a total it counts what is done so far', () => {
    expect(progressLine("Reading assessments", { done: 120, total: 2500, percent: 5 })).toBe("Reading assessments · 120 of 2,500 (5%)");
    expect(progressLine("Reading assessments", { done: 0, total: 0, percent: null })).toBe("Reading assessments…");
    expect(progressLine(null, { done: 12, total: 0, percent: null })).toBe("Working · 12 so far");
  });
});
