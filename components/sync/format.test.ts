import { describe, expect, test } from "vitest";
import { changesOf, countLabel, formatDuration, headlineCounts, progressLine, showValue } from "./format";

describe("formatDuration", () => {
  // Reads naturally from milliseconds to hours.
  test.each([
    [null, "—"],
    [850, "0.9 s"],
    [42_000, "42 s"],
    [75_000, "1 min 15 s"],
    [120_000, "2 min"],
    [2 * 3_600_000 + 5 * 60_000, "2 h 5 min"],
    [3_600_000, "1 h"],
  ])("%s ms reads %j", (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe("countLabel", () => {
  // Turns count paths into words.
  test.each([
    ["rules.created", "Tickets created by rules"],
    ["defender.findings.new", "New findings"],
    ["defender.timings.pageWrites", "Time spent on saving findings"],
    ["timings.rules", "Time spent on rules"],
    ["ticketsResolved", "Tickets resolved"],
  ])("%s reads %j", (path, label) => expect(countLabel(path)).toBe(label));
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
