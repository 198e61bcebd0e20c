import { describe, expect, test } from "vitest";
import { describeDiff, diffTicket, resolvedAtOf, type TicketSnapshot } from "./ticket-diff";

const base: TicketSnapshot = {
  number: "INC0010001",
  rawState: "1",
  stateLabel: "New",
  state: "open",
  priority: 3,
  impact: 2,
  urgency: 2,
  shortDescription: "Fix it",
  assignedToSysId: null,
  assignedToName: null,
  assignedToEmail: null,
  assignmentGroupSysId: "g1",
  assignmentGroupName: "Cloud Security Operations",
  dueDate: new Date("2030-01-01T00:00:00Z"),
  snUpdatedAt: new Date("2026-01-01T00:00:00Z"),
  resolvedAt: null,
};

describe("diffTicket", () => {
  test("returns the watched fields that changed, shown as a person reads them", () => {
    const next = {
      ...base,
      rawState: "6",
      stateLabel: "Resolved",
      state: "resolved" as const,
      assignedToSysId: "u1",
      assignedToName: "Ada Admin",
      dueDate: new Date("2030-02-01T00:00:00Z"),
      snUpdatedAt: new Date("2026-01-02T00:00:00Z"),
    };
    const diff = diffTicket(base, next);
    expect(diff.changed).toEqual(["state", "assignedTo", "dueDate"]);
    expect(diff.before).toEqual({ state: "New", assignedTo: null, dueDate: "2030-01-01T00:00:00.000Z" });
    expect(diff.after).toEqual({ state: "Resolved", assignedTo: "Ada Admin", dueDate: "2030-02-01T00:00:00.000Z" });
    expect(diff.isWriteNeeded).toBe(true);
    expect(describeDiff(next.number, diff)).toBe(
      "INC0010001: state New → Resolved; assignedTo — → Ada Admin; dueDate 2030-01-01T00:00:00.000Z → 2030-02-01T00:00:00.000Z",
    );
  });

  test("returns no change but a write when only sys_updated_on moved (a work note), and nothing when nothing moved", () => {
    expect(diffTicket(base, { ...base, snUpdatedAt: new Date("2026-01-03T00:00:00Z") })).toMatchObject({
      changed: [],
      isWriteNeeded: true,
    });
    expect(diffTicket(base, { ...base, dueDate: new Date(base.dueDate!.getTime()) })).toMatchObject({ changed: [], isWriteNeeded: false });
  });
});

describe("resolvedAtOf", () => {
  const times = {
    resolvedAt: new Date("2026-01-05T00:00:00Z"),
    closedAt: new Date("2026-01-06T00:00:00Z"),
    updatedAt: new Date("2026-01-07T00:00:00Z"),
  };
  test("returns ServiceNow's resolution time when the ticket leaves the open states, keeps it while it stays out, and clears it on reopen", () => {
    expect(resolvedAtOf({ state: "open", resolvedAt: null }, "resolved", times)).toEqual(times.resolvedAt);
    expect(resolvedAtOf({ state: "open", resolvedAt: null }, "closed", { ...times, resolvedAt: null })).toEqual(times.closedAt);
    expect(
      resolvedAtOf({ state: "open", resolvedAt: null }, "canceled", { resolvedAt: null, closedAt: null, updatedAt: times.updatedAt }),
    ).toEqual(times.updatedAt);
    const earlier = new Date("2026-01-01T00:00:00Z");
    expect(resolvedAtOf({ state: "resolved", resolvedAt: earlier }, "closed", times)).toEqual(earlier);
    expect(resolvedAtOf({ state: "resolved", resolvedAt: earlier }, "open", times)).toBeNull();
  });
});
