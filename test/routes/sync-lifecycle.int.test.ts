// Ticket lifecycle against the ServiceNow emulator's documented behaviour (docs/EMULATORS.md, "Contract:
// ticket lifecycle"): problems are never resolved through a state write (Rome+ ignores it) but noted and
// marked "ready to resolve"; every state write of the sync engine is read back, and a write ServiceNow
// accepts without applying becomes a "not applied" event and a flag on the ticket, never a success.
import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { createServiceNowClient, cellValue } from "@/lib/servicenow";
import { type TTicketDetail, type TTicketDto } from "@/lib/schemas/tickets";
import { call, signedInUser } from "@/test/app";
import { syncWorldSuite } from "@/test/integration";
import * as ticketRoute from "@/app/api/tickets/[id]/route";
import * as ticketsRoute from "@/app/api/tickets/route";
import { eventsOf, syncNow, ticketFor } from "@/lib/sync/testing";

const suite = syncWorldSuite({ connection: { defaultAssignmentGroup: "Cloud Security Operations" }, timeoutMs: 120_000 });
const { take } = suite;
let manager: string;

const notes = (record: { journal?: Array<{ element: string; value: string }> }, pattern: RegExp) =>
  (record.journal ?? []).filter((j) => j.element === "work_notes" && pattern.test(j.value));

async function ignoreWrites(rules: Array<{ table: string; field: string }>) {
  const r = await suite.emu.control("servicenow", "PUT", "/_emulator/ignored-writes", { rules });
  expect(r.status).toBe(200);
}

async function detail(id: string): Promise<TTicketDetail> {
  const res = await call(ticketRoute.GET, "GET", `/api/tickets/${id}`, { params: { id }, cookie: manager });
  expect(res.status).toBe(200);
  return (await res.json()) as TTicketDetail;
}

/** A ticket of this type for one fresh finding, the finding then healthy in Defender, and a sync that succeeded. */
async function remediatedAndSynced(type: "problem" | "incident") {
  const [f] = take(1);
  const ticket = await ticketFor({ connectionId: suite.world.connection.id, type, findingIds: [f!.id] });
  await suite.defender.setStatus([f!.armId], "Healthy");
  const run = await syncNow(suite.world.connection.id);
  expect(run.status, run.error ?? "").toBe("succeeded");
  return { f: f!, ticket, run };
}

beforeAll(async () => {
  manager = (await signedInUser("MANAGER")).cookie;
});

describe("emulator: problem state through the Table API (Rome+)", () => {
  test("a PATCH of problem.state answers 200 and leaves the state unchanged; other fields are written", async () => {
    const [f] = take(1);
    const ticket = await ticketFor({ connectionId: suite.world.connection.id, type: "problem", findingIds: [f!.id] });
    const s = suite.emu.manifest.servicenow;
    const client = createServiceNowClient({ instanceUrl: s.url, auth: { type: "basic", username: s.username, password: s.password } });
    const answer = await client.update("problem", ticket.sysId, {
      state: "106",
      resolution_code: "fix_applied",
      close_notes: "done",
      cause_notes: "x",
    });
    expect(cellValue(answer.state)).toBe("101");
    expect(cellValue(answer.cause_notes)).toBe("x");
    expect((await suite.sn.record("problem", ticket.sysId)).state).toBe("101");
    // A person moves it through the UI (the control API acts as one): that applies.
    await suite.sn.changeAsUser("problem", ticket.sysId, { state: "102" });
    expect((await suite.sn.record("problem", ticket.sysId)).state).toBe("102");
  });
});

describe("problems: remediation marks them ready to resolve", () => {
  test("no state write, a work note once per episode, 'ready to resolve' with the link; a person resolves it; a regression gets a new problem", async () => {
    // Let any state write through, so the assertion below proves PostureDesk sent none.
    await ignoreWrites([]);
    try {
      const { f, ticket, run } = await remediatedAndSynced("problem");

      const record = await suite.sn.record("problem", ticket.sysId);
      expect(record.state).toBe("101");
      expect(notes(record, /ready to be resolved/)).toHaveLength(1);
      const row = await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
      expect(row.state).toBe("open");
      expect(row.readyToResolveAt).not.toBeNull();
      const events = await eventsOf(run.id);
      expect(events.filter((e) => e.ticketId === ticket.id && e.action === "ready_to_resolve")).toHaveLength(1);
      expect(events.filter((e) => e.ticketId === ticket.id && e.action === "resolved")).toHaveLength(0);
      const shown = await detail(ticket.id);
      expect(shown.readyToResolveAt).not.toBeNull();
      expect(shown.url).toContain(ticket.sysId);
      const listed = await call(ticketsRoute.GET, "GET", "/api/tickets", { query: { q: ticket.number }, cookie: manager });
      expect(((await listed.json()) as { items: TTicketDto[] }).items[0]?.readyToResolveAt).not.toBeNull();

      // Nothing new: no second note, no write at all.
      await suite.sn.resetCounters();
      expect((await syncNow(suite.world.connection.id)).status).toBe("succeeded");
      expect(await suite.sn.requests({ method: "PATCH" })).toBe(0);
      expect(notes(await suite.sn.record("problem", ticket.sysId), /ready to be resolved/)).toHaveLength(1);

      // A problem manager resolves it in ServiceNow: read back, no longer "ready", resolved.
      await suite.sn.changeAsUser("problem", ticket.sysId, {
        state: "106",
        resolution_code: "fix_applied",
        cause_notes: "Public access",
        fix_notes: "Disabled",
        close_notes: "Fixed",
      });
      expect((await syncNow(suite.world.connection.id)).status).toBe("succeeded");
      const resolved = await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
      expect(resolved.state).toBe("resolved");
      expect(resolved.readyToResolveAt).toBeNull();

      // Regression: a problem cannot be reopened through the Table API, so a new problem replaces it.
      await suite.regress([f!.armId]);
      expect((await suite.sn.record("problem", ticket.sysId)).state).toBe("106");
      const replacement = await db().ticket.findFirstOrThrow({ where: { replacesTicketId: ticket.id } });
      expect(replacement.table).toBe("problem");
      expect((await suite.sn.record("problem", replacement.sysId)).state).toBe("101");
    } finally {
      await ignoreWrites([{ table: "problem", field: "state" }]);
    }
  });

  test("a ready-to-resolve problem whose finding turns unhealthy again while still open: a work note, no longer ready", async () => {
    const [a, b] = take(2);
    const ticket = await ticketFor({ connectionId: suite.world.connection.id, type: "problem", findingIds: [a!.id, b!.id] });
    await suite.defender.setStatus([a!.armId, b!.armId], "Healthy");
    await syncNow(suite.world.connection.id);
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).readyToResolveAt).not.toBeNull();

    const run = await suite.regress([b!.armId]);
    const row = await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(row.readyToResolveAt).toBeNull();
    expect(row.state).toBe("open");
    expect(notes(await suite.sn.record("problem", ticket.sysId), /no longer ready to be resolved/)).toHaveLength(1);
    expect((await eventsOf(run.id)).find((e) => e.ticketId === ticket.id && e.action === "updated")?.message).toMatch(
      /no longer ready to resolve/,
    );
  });
});

describe("read-back after every state write", () => {
  test("a resolution ServiceNow accepts but does not apply: a 'not applied' event and a flag, not retried in that episode; cleared once the state moves", async () => {
    await ignoreWrites([
      { table: "problem", field: "state" },
      { table: "incident", field: "state" },
    ]);
    try {
      const { f, ticket, run } = await remediatedAndSynced("incident");

      expect((await suite.sn.record("incident", ticket.sysId)).state).toBe("1");
      const events = await eventsOf(run.id);
      expect(events.filter((e) => e.ticketId === ticket.id && e.action === "resolved")).toHaveLength(0);
      const notApplied = events.find((e) => e.ticketId === ticket.id && e.action === "not_applied");
      expect(notApplied?.message).toMatch(
        new RegExp(`ServiceNow did not apply the resolution of ${ticket.number}: state Resolved .* still New`),
      );
      const row = await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
      expect(row.state).toBe("open");
      expect(row.notAppliedMessage).toBe("State Resolved was not applied (still New)");
      expect((await detail(ticket.id)).notApplied?.message).toBe("State Resolved was not applied (still New)");
      expect((await suite.defender.assignmentOf(f!.armId))?.properties.additionalData?.ticketStatus).toBe("New");

      // Not written again in the same remediation episode.
      await suite.sn.resetCounters();
      const again = await syncNow(suite.world.connection.id);
      expect(again.status).toBe("succeeded");
      expect(await suite.sn.requests({ method: "PATCH" })).toBe(0);

      // A person resolves it: the state moved, the flag goes.
      await suite.sn.changeAsUser("incident", ticket.sysId, { state: "6", close_code: "Solution provided", close_notes: "Fixed by hand" });
      await syncNow(suite.world.connection.id);
      const cleared = await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
      expect(cleared.state).toBe("resolved");
      expect(cleared.notAppliedMessage).toBeNull();
    } finally {
      await ignoreWrites([{ table: "problem", field: "state" }]);
    }
  });

  test("a reopen ServiceNow does not apply is flagged too; a confirmed write is recorded as usual", async () => {
    const [f] = take(1);
    const ticket = await ticketFor({ connectionId: suite.world.connection.id, type: "incident", findingIds: [f!.id] });
    await suite.defender.setStatus([f!.armId], "Healthy");
    const resolvedRun = await syncNow(suite.world.connection.id);
    expect((await eventsOf(resolvedRun.id)).filter((e) => e.ticketId === ticket.id && e.action === "resolved")).toHaveLength(1);
    expect((await suite.sn.record("incident", ticket.sysId)).state).toBe("6");

    await ignoreWrites([
      { table: "problem", field: "state" },
      { table: "incident", field: "state" },
    ]);
    try {
      const run = await suite.regress([f!.armId]);
      expect((await suite.sn.record("incident", ticket.sysId)).state).toBe("6");
      const events = await eventsOf(run.id);
      expect(events.filter((e) => e.ticketId === ticket.id && e.action === "reopened")).toHaveLength(0);
      expect(events.find((e) => e.ticketId === ticket.id && e.action === "not_applied")?.message).toMatch(/did not apply the reopening/);
      expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).notAppliedMessage).toBe(
        "State In Progress was not applied (still Resolved)",
      );
      await suite.sn.resetCounters();
      await syncNow(suite.world.connection.id);
      expect(await suite.sn.requests({ method: "PATCH" })).toBe(0);
    } finally {
      await ignoreWrites([{ table: "problem", field: "state" }]);
    }
  });
});
