// The reconcile rules of docs/DESIGN.md §4.3, each through a full sync run against private emulators (their
// statuses, records and faults are changed here), asserting what a person would check on both sides:
// the ServiceNow record and Defender's governance assignment, plus our ticket row and the run's history.
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { ticketNumberToInteger } from "@/lib/tickets/states";
import { eventsOf, syncNow, ticketFor } from "./testing";
import { syncWorldSuite } from "@/test/integration";

const suite = syncWorldSuite({ connection: { defaultAssignmentGroup: "Cloud Security Operations" }, timeoutMs: 120_000 });
const { take } = suite;

describe("reconcile: remediated findings resolve their ticket", () => {
  test("an incident whose findings are all remediated is resolved in ServiceNow with close code and notes, and Defender's assignment says Resolved", async () => {
    const findings = take(2);
    const ticket = await ticketFor({
      connectionId: suite.world.connection.id,
      type: "incident",
      findingIds: findings.map((f) => f.id),
      grouping: "single",
    });
    await suite.defender.setStatus([findings[0]!.armId], "Healthy");
    await suite.defender.setStatus([findings[1]!.armId], "NotApplicable");

    const run = await syncNow(suite.world.connection.id);
    expect(run.status, run.error ?? "").toBe("succeeded");

    const record = await suite.sn.record("incident", ticket.sysId);
    expect(record.state).toBe("6");
    expect(record.close_code).toBe("Solution provided");
    expect(record.close_notes).toMatch(/All 2 linked Defender for Cloud findings are remediated \(1 healthy, 1 not applicable\)/);
    const row = await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(row.state).toBe("resolved");
    expect(row.resolvedAt).not.toBeNull();
    for (const f of findings) {
      const assignment = await suite.defender.assignmentOf(f.armId);
      expect(assignment?.properties.additionalData?.ticketStatus).toBe("Resolved");
      expect(assignment?.properties.additionalData?.ticketNumber).toBe(ticketNumberToInteger(ticket.number));
    }
    const events = await eventsOf(run.id);
    expect(events.filter((e) => e.action === "resolved" && e.ticketId === ticket.id)).toHaveLength(1);

    // Nothing changed: a second run writes nothing to ServiceNow and records no resolution.
    await suite.sn.resetCounters();
    const again = await syncNow(suite.world.connection.id);
    expect(again.status, again.error ?? "").toBe("succeeded");
    expect(await suite.sn.requests({ method: "PATCH" })).toBe(0);
    expect(await suite.sn.requests({ method: "POST" })).toBe(0);
    expect((await eventsOf(again.id)).filter((e) => e.action === "resolved")).toHaveLength(0);
  });
});

describe("reconcile: problems, change requests and people who reopen", () => {
  test("a problem is marked ready to resolve with a work note (its state is not written); a change request only gets a work note, once", async () => {
    const [p, c] = take(2);
    const problem = await ticketFor({ connectionId: suite.world.connection.id, type: "problem", findingIds: [p!.id] });
    const change = await ticketFor({ connectionId: suite.world.connection.id, type: "change_request", findingIds: [c!.id] });
    await suite.defender.setStatus([p!.armId, c!.armId], "Healthy");

    const run = await syncNow(suite.world.connection.id);
    expect(run.status, run.error ?? "").toBe("succeeded");
    const prb = await suite.sn.record("problem", problem.sysId);
    expect(prb.state).toBe("101");
    expect((prb.journal ?? []).filter((j) => j.element === "work_notes" && /remediated/.test(j.value))).toHaveLength(1);
    expect((await db().ticket.findUniqueOrThrow({ where: { id: problem.id } })).readyToResolveAt).not.toBeNull();
    expect((await suite.defender.assignmentOf(p!.armId))?.properties.additionalData?.ticketStatus).toBe("New");
    const chg = await suite.sn.record("change_request", change.sysId);
    expect(chg.state).toBe("-5");
    const notes = (chg.journal ?? []).filter((j) => j.element === "work_notes" && /remediated/.test(j.value));
    expect(notes).toHaveLength(1);
    expect((await suite.defender.assignmentOf(c!.armId))?.properties.additionalData?.ticketStatus).toBe("New");

    const again = await syncNow(suite.world.connection.id);
    expect(again.status, again.error ?? "").toBe("succeeded");
    const chgAgain = await suite.sn.record("change_request", change.sysId);
    expect((chgAgain.journal ?? []).filter((j) => j.element === "work_notes" && /remediated/.test(j.value))).toHaveLength(1);
  });

  test("a person who reopens a resolved ticket is not overruled until the findings change again", async () => {
    const [f] = take(1);
    const ticket = await ticketFor({ connectionId: suite.world.connection.id, type: "incident", findingIds: [f!.id] });
    await suite.defender.setStatus([f!.armId], "Healthy");
    expect((await syncNow(suite.world.connection.id)).status).toBe("succeeded");
    expect((await suite.sn.record("incident", ticket.sysId)).state).toBe("6");

    await suite.sn.changeAsUser("incident", ticket.sysId, { state: "2", work_notes: "Not done yet: the fix must be verified" });
    const run = await syncNow(suite.world.connection.id);
    expect(run.status, run.error ?? "").toBe("succeeded");
    expect((await suite.sn.record("incident", ticket.sysId)).state).toBe("2");
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).state).toBe("open");
    const updated = (await eventsOf(run.id)).find((e) => e.ticketId === ticket.id && e.action === "updated");
    expect(updated?.message).toMatch(/state Resolved → In Progress/);

    // The finding regresses and is remediated again: a new episode, resolved again.
    await suite.defender.setStatus([f!.armId], "Unhealthy");
    await syncNow(suite.world.connection.id);
    await new Promise((r) => setTimeout(r, 1100)); // statusChangeDate has whole seconds
    await suite.defender.setStatus([f!.armId], "Healthy");
    expect((await syncNow(suite.world.connection.id)).status).toBe("succeeded");
    expect((await suite.sn.record("incident", ticket.sysId)).state).toBe("6");
  });
});

describe("reconcile: regressions follow the connection's policy", () => {
  test("reopen: a resolved incident whose finding is unhealthy again is reopened with a work note", async () => {
    const [f] = take(1);
    const ticket = await ticketFor({ connectionId: suite.world.connection.id, type: "incident", findingIds: [f!.id] });
    await suite.defender.setStatus([f!.armId], "Healthy");
    await syncNow(suite.world.connection.id);
    expect((await suite.sn.record("incident", ticket.sysId)).state).toBe("6");

    const run = await suite.regress([f!.armId]);
    const record = await suite.sn.record("incident", ticket.sysId);
    expect(record.state).toBe("2");
    expect(record.reopen_count).toBe("1");
    expect(
      (record.journal ?? []).some(
        (j) => j.element === "work_notes" && /Reopened by PostureDesk: Defender for Cloud reports a finding unhealthy again/.test(j.value),
      ),
    ).toBe(true);
    const row = await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(row.state).toBe("open");
    expect(row.isDrift).toBe(false);
    expect((await suite.defender.assignmentOf(f!.armId))?.properties.additionalData?.ticketStatus).toBe("In Progress");
    expect((await eventsOf(run.id)).filter((e) => e.action === "reopened" && e.ticketId === ticket.id)).toHaveLength(1);
    // Same ticket, no second one.
    expect(await db().ticketLink.count({ where: { findingId: f!.id, activeConnectionId: suite.world.connection.id } })).toBe(1);
  });

  test("reopen policy, but the incident was closed (read-only in ServiceNow): a new ticket that references the old one", async () => {
    const [f] = take(1);
    const ticket = await ticketFor({ connectionId: suite.world.connection.id, type: "incident", findingIds: [f!.id] });
    await suite.defender.setStatus([f!.armId], "Healthy");
    await syncNow(suite.world.connection.id);
    await suite.sn.changeAsUser("incident", ticket.sysId, { state: "7" });
    await syncNow(suite.world.connection.id);
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).state).toBe("closed");

    const run = await suite.regress([f!.armId]);
    expect((await suite.sn.record("incident", ticket.sysId)).state).toBe("7");
    const replacement = await db().ticket.findFirstOrThrow({ where: { replacesTicketId: ticket.id } });
    expect(replacement.id).not.toBe(ticket.id);
    const record = await suite.sn.record("incident", replacement.sysId);
    expect(record.state).toBe("1");
    expect((record.journal ?? []).some((j) => j.value.includes(`replaces ${ticket.number}`))).toBe(true);
    const links = await db().ticketLink.findMany({ where: { findingId: f!.id }, orderBy: { linkedAt: "asc" } });
    expect(links.map((l) => [l.ticketId, l.activeConnectionId !== null])).toEqual([
      [ticket.id, false],
      [replacement.id, true],
    ]);
    expect((await suite.defender.assignmentOf(f!.armId))?.properties.additionalData?.ticketNumber).toBe(
      ticketNumberToInteger(replacement.number),
    );
    const events = await eventsOf(run.id);
    expect(events.find((e) => e.action === "created" && e.ticketId === replacement.id)?.message).toMatch(
      new RegExp(`replaces ${ticket.number}`),
    );
    expect(events.some((e) => e.action === "unlinked" && e.findingId === f!.id)).toBe(true);

    // Idempotent: the next run creates nothing more.
    await syncNow(suite.world.connection.id);
    expect(await db().ticket.count({ where: { replacesTicketId: ticket.id } })).toBe(1);
  });

  test("new-ticket policy: a resolved ticket is left resolved and a new ticket carries the regressed finding", async () => {
    await db().serviceNowConnection.update({ where: { id: suite.world.connection.id }, data: { regressionPolicy: "new_ticket" } });
    try {
      const [f] = take(1);
      const ticket = await ticketFor({ connectionId: suite.world.connection.id, type: "problem", findingIds: [f!.id] });
      await suite.defender.setStatus([f!.armId], "Healthy");
      await syncNow(suite.world.connection.id);
      // PostureDesk marks it ready to resolve; a problem manager resolves it in ServiceNow.
      await suite.sn.changeAsUser("problem", ticket.sysId, {
        state: "106",
        resolution_code: "fix_applied",
        cause_notes: "c",
        fix_notes: "f",
        close_notes: "Fixed",
      });
      await syncNow(suite.world.connection.id);
      await suite.regress([f!.armId]);
      expect((await suite.sn.record("problem", ticket.sysId)).state).toBe("106");
      const replacement = await db().ticket.findFirstOrThrow({ where: { replacesTicketId: ticket.id } });
      expect(replacement.table).toBe("problem");
      expect((await suite.sn.record("problem", replacement.sysId)).state).toBe("101");
      expect((await suite.defender.assignmentOf(f!.armId))?.properties.additionalData?.ticketNumber).toBe(
        ticketNumberToInteger(replacement.number),
      );
    } finally {
      await db().serviceNowConnection.update({ where: { id: suite.world.connection.id }, data: { regressionPolicy: "reopen" } });
    }
  });
});

describe("reconcile: drift, assignee and due date", () => {
  test("closed in ServiceNow while the finding is still unhealthy: flagged as drift, not reopened; cleared once remediated", async () => {
    const [f] = take(1);
    const ticket = await ticketFor({ connectionId: suite.world.connection.id, type: "incident", findingIds: [f!.id] });
    await suite.sn.changeAsUser("incident", ticket.sysId, {
      state: "7",
      close_code: "Solution provided",
      close_notes: "Closed by the service desk",
    });
    const run = await syncNow(suite.world.connection.id);
    expect(run.status, run.error ?? "").toBe("succeeded");
    const row = await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(row.state).toBe("closed");
    expect(row.isDrift).toBe(true);
    expect(row.driftSince).not.toBeNull();
    expect((await suite.sn.record("incident", ticket.sysId)).state).toBe("7");
    expect((await suite.defender.assignmentOf(f!.armId))?.properties.additionalData?.ticketStatus).toBe("Closed");
    expect((await eventsOf(run.id)).find((e) => e.action === "drift" && e.ticketId === ticket.id)?.message).toMatch(
      /closed in ServiceNow while 1 linked finding/,
    );

    // No churn: the next run neither reopens nor re-flags.
    const quiet = await syncNow(suite.world.connection.id);
    expect((await eventsOf(quiet.id)).filter((e) => e.ticketId === ticket.id)).toEqual([]);

    await suite.defender.setStatus([f!.armId], "Healthy");
    const healed = await syncNow(suite.world.connection.id);
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).isDrift).toBe(false);
    expect((await eventsOf(healed.id)).some((e) => e.action === "drift" && e.ticketId === ticket.id)).toBe(true);
  });

  test("assignee and due date changed in ServiceNow become the governance owner and remediation due date in Defender", async () => {
    const [f] = take(1);
    const ticket = await ticketFor({ connectionId: suite.world.connection.id, type: "incident", findingIds: [f!.id] });
    const users = await suite.emu.control<{ result: Array<Record<string, string>> }>(
      "servicenow",
      "GET",
      `/_emulator/records/sys_user?sysparm_query=${encodeURIComponent("emailISNOTEMPTY^active=true")}&limit=5`,
    );
    const person = users.body as unknown as { value?: Array<Record<string, string>>; result?: Array<Record<string, string>> };
    const candidate = (person.value ?? person.result ?? []).find((u) => u.email && !u.user_name?.startsWith("posturedesk"))!;
    expect(candidate).toBeDefined();
    await suite.sn.changeAsUser("incident", ticket.sysId, { assigned_to: candidate.sys_id!, due_date: "2031-03-15 17:00:00", state: "2" });

    const run = await syncNow(suite.world.connection.id);
    expect(run.status, run.error ?? "").toBe("succeeded");
    const row = await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(row.assignedToEmail).toBe(candidate.email);
    expect(row.dueDate?.toISOString()).toBe("2031-03-15T17:00:00.000Z");
    const assignment = await suite.defender.assignmentOf(f!.armId);
    expect(assignment?.properties.owner).toBe(candidate.email);
    expect(new Date(assignment!.properties.remediationDueDate).toISOString()).toBe("2031-03-15T17:00:00.000Z");
    expect(assignment?.properties.additionalData?.ticketStatus).toBe("In Progress");
    const events = await eventsOf(run.id);
    expect(events.find((e) => e.action === "updated" && e.ticketId === ticket.id)?.message).toMatch(/assignedTo .* → .*; dueDate/);
    expect(events.find((e) => e.action === "governance_updated" && e.findingId === f!.id)?.message).toMatch(/owner, due date, status/);
  });
});
