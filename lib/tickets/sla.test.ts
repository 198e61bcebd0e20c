import { describe, expect, test } from "vitest";
import { ticketSla } from "./sla";

const created = new Date("2026-01-01T00:00:00Z");
const due = new Date("2026-01-11T00:00:00Z");

describe("ticketSla", () => {
  test("returns no_due_date when the ticket has no due date", () => {
    expect(ticketSla({ createdAt: created, dueDate: null, resolvedAt: null, state: "open" }).status).toBe("no_due_date");
  });
  test("returns on_track, at_risk and breached for an open ticket as time passes", () => {
    const at = (d: string) => ticketSla({ createdAt: created, dueDate: due, resolvedAt: null, state: "open" }, new Date(d));
    expect(at("2026-01-03T00:00:00Z")).toMatchObject({ status: "on_track", elapsedPercent: 20 });
    expect(at("2026-01-09T00:00:00Z")).toMatchObject({ status: "at_risk", elapsedPercent: 80 });
    expect(at("2026-01-12T00:00:00Z")).toMatchObject({ status: "breached", elapsedPercent: 110 });
  });
  test("stops the clock when the ticket is resolved: met before the due date, missed after", () => {
    expect(
      ticketSla(
        { createdAt: created, dueDate: due, resolvedAt: new Date("2026-01-05T00:00:00Z"), state: "resolved" },
        new Date("2026-03-01T00:00:00Z"),
      ),
    ).toMatchObject({ status: "met", elapsedPercent: 40 });
    expect(ticketSla({ createdAt: created, dueDate: due, resolvedAt: new Date("2026-01-16T00:00:00Z"), state: "closed" })).toMatchObject({
      status: "missed",
      elapsedPercent: 150,
    });
  });
});
