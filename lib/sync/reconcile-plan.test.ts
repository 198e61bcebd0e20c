import { describe, expect, test } from "vitest";
import { planTicket, type TicketFacts } from "./reconcile-plan";

const facts = (over: Partial<TicketFacts>): TicketFacts => ({
  ticketId: "t1",
  table: "incident",
  state: "open",
  rawState: "2",
  isDrift: false,
  findings: 2,
  unhealthy: 0,
  healthy: 2,
  notApplicable: 0,
  removed: 0,
  regressedFindingIds: [],
  lastStatusChangeAt: new Date("2026-01-02T00:00:00Z"),
  lastResolvedEpisode: null,
  readyToResolveAt: null,
  lastNotAppliedReopen: null,
  ...over,
});

describe("planTicket", () => {
  test("returns resolve for an open ticket whose findings are all remediated, a work note for a change request, once per episode", () => {
    expect(planTicket(facts({}), "reopen")).toEqual({
      action: { kind: "resolve", episode: new Date("2026-01-02T00:00:00Z") },
      isDrift: false,
    });
    expect(planTicket(facts({ table: "change_request", rawState: "-5" }), "reopen").action?.kind).toBe("note_remediated");
    expect(planTicket(facts({ lastResolvedEpisode: new Date("2026-01-02T00:00:00Z") }), "reopen").action).toBeNull();
    expect(planTicket(facts({ lastResolvedEpisode: new Date("2026-01-01T00:00:00Z") }), "reopen").action?.kind).toBe("resolve");
    expect(planTicket(facts({ unhealthy: 1, healthy: 1 }), "reopen")).toEqual({ action: null, isDrift: false });
    expect(planTicket(facts({ findings: 0, healthy: 0 }), "reopen")).toEqual({ action: null, isDrift: false });
  });

  test("returns reopen or replace for a regression by policy and by what ServiceNow allows", () => {
    const regressed = { state: "resolved" as const, rawState: "6", unhealthy: 1, healthy: 1, regressedFindingIds: ["f2"] };
    expect(planTicket(facts(regressed), "reopen")).toEqual({ action: { kind: "reopen", findingIds: ["f2"] }, isDrift: false });
    expect(planTicket(facts(regressed), "new_ticket")).toEqual({ action: { kind: "replace", findingIds: ["f2"] }, isDrift: false });
    // A reopen ServiceNow did not apply is not repeated until the findings change again.
    expect(planTicket(facts({ ...regressed, lastNotAppliedReopen: new Date("2026-01-02T00:00:00Z") }), "reopen").action).toBeNull();
    expect(planTicket(facts({ ...regressed, lastNotAppliedReopen: new Date("2026-01-01T00:00:00Z") }), "reopen").action?.kind).toBe(
      "reopen",
    );
    // Closed records are read-only: reopen is not possible, a new ticket is.
    expect(planTicket(facts({ ...regressed, state: "closed", rawState: "7" }), "reopen").action?.kind).toBe("replace");
    // Problems cannot be moved back through the Table API (Rome+): a regression gets a new problem.
    expect(planTicket(facts({ ...regressed, table: "problem", rawState: "106" }), "reopen").action?.kind).toBe("replace");
    expect(planTicket(facts({ ...regressed, table: "change_request", state: "closed", rawState: "3" }), "reopen").action?.kind).toBe(
      "replace",
    );
  });

  test("returns ready_to_resolve (not resolve) for a remediated open problem, once per episode, and not_ready when it regresses while still open", () => {
    const problem = { table: "problem" as const, rawState: "104" };
    expect(planTicket(facts(problem), "reopen")).toEqual({
      action: { kind: "ready_to_resolve", episode: new Date("2026-01-02T00:00:00Z") },
      isDrift: false,
    });
    expect(
      planTicket(facts({ ...problem, lastResolvedEpisode: new Date("2026-01-02T00:00:00Z"), readyToResolveAt: new Date() }), "reopen")
        .action,
    ).toBeNull();
    expect(planTicket(facts({ ...problem, unhealthy: 1, healthy: 1, readyToResolveAt: new Date() }), "reopen")).toEqual({
      action: { kind: "not_ready" },
      isDrift: false,
    });
    expect(planTicket(facts({ ...problem, unhealthy: 1, healthy: 1 }), "reopen").action).toBeNull();
  });

  test("returns drift for a closed ticket whose findings were unhealthy all along, and keeps it for those left behind by a replacement", () => {
    expect(planTicket(facts({ state: "closed", rawState: "7", unhealthy: 2, healthy: 0 }), "reopen")).toEqual({
      action: null,
      isDrift: true,
    });
    expect(planTicket(facts({ state: "canceled", rawState: "8", unhealthy: 1, healthy: 1 }), "reopen")).toEqual({
      action: null,
      isDrift: true,
    });
    expect(planTicket(facts({ state: "closed", rawState: "7", unhealthy: 2, healthy: 0, regressedFindingIds: ["f1"] }), "reopen")).toEqual({
      action: { kind: "replace", findingIds: ["f1"] },
      isDrift: true,
    });
    expect(planTicket(facts({ state: "closed", rawState: "7", unhealthy: 0, healthy: 2, isDrift: true }), "reopen")).toEqual({
      action: null,
      isDrift: false,
    });
  });
});
