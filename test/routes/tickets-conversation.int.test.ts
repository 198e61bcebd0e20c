// The ticket conversation through the route handlers against the ServiceNow emulator: the journal is
// read from sys_journal_field newest first, an analyst's work note or comment reaches ServiceNow as a
// journal entry (the record's field reads back empty), is returned at once and audited; managers read
// only; bad input is a 4xx.
import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { type TAddedJournalEntry, type TTicketConversation } from "@/lib/schemas/ticket-conversation";
import { type TCreatedTicket, type TTicketDetail } from "@/lib/schemas/tickets";
import { call, signedInUser } from "@/test/app";
import { findingsWorldSuite } from "@/test/integration";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as journalRoute from "@/app/api/tickets/[id]/journal/route";
import * as ticketRoute from "@/app/api/tickets/[id]/route";

const suite = findingsWorldSuite();
let analyst: { cookie: string; name: string };
let manager: string;
let ticket: TCreatedTicket;

const read = async (id: string, cookie = manager) => {
  const res = await call(journalRoute.GET, "GET", `/api/tickets/${id}/journal`, { params: { id }, cookie });
  return { status: res.status, body: (await res.json()) as TTicketConversation & { detail?: string } };
};
const add = async (id: string, body: unknown, cookie = analyst.cookie) => {
  const res = await call(journalRoute.POST, "POST", `/api/tickets/${id}/journal`, { params: { id }, body, cookie });
  return { status: res.status, body: (await res.json()) as TAddedJournalEntry & { detail?: string } };
};

beforeAll(async () => {
  const a = await signedInUser("ANALYST", "Ari Journal");
  analyst = { cookie: a.cookie, name: a.name };
  manager = (await signedInUser("MANAGER")).cookie;
  const res = await call(ticketsRoute.POST, "POST", "/api/tickets", {
    body: {
      connectionId: suite.connection.id,
      type: "incident",
      findingIds: [suite.world.unhealthy[0]!.id],
      description: "Storage account allows public access.",
    },
    cookie: analyst.cookie,
  });
  expect(res.status).toBe(201);
  ticket = ((await res.json()) as { tickets: TCreatedTicket[] }).tickets[0]!;
});

describe("GET/POST /api/tickets/{id}/journal", () => {
  test("a manager reads the description, the SLA and an empty-or-seeded journal", async () => {
    const res = await read(ticket.id);
    expect(res.status).toBe(200);
    expect(res.body.ticketId).toBe(ticket.id);
    expect(res.body.description).toContain("Storage account allows public access.");
    expect(res.body.sla.source).toBe("due_date");
    expect(res.body.canAdd).toBe(true);
  });

  test("an analyst's work note and comment reach ServiceNow as journal entries, come back at once, newest first, and are audited", async () => {
    const note = await add(ticket.id, { element: "work_notes", text: "  Checked the storage firewall.  " });
    expect(note.status).toBe(201);
    expect(note.body.entry).toMatchObject({
      element: "work_notes",
      text: `Checked the storage firewall.\n\n— ${analyst.name} (via PostureDesk)`,
    });
    expect(note.body.entry.createdBy).not.toBe("");
    const comment = await add(ticket.id, { element: "comments", text: "We will fix this on Friday." });
    expect(comment.status).toBe(201);

    // In ServiceNow: two sys_journal_field rows for the record; the record's fields themselves stay empty.
    const sysId = (await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).sysId;
    const stored = await suite.emu.control<{ work_notes: string; comments: string; journal: Array<{ element: string; value: string }> }>(
      "servicenow",
      "GET",
      `/_emulator/records/incident/${sysId}`,
    );
    expect(stored.body.work_notes ?? "").toBe("");
    expect(stored.body.comments ?? "").toBe("");
    expect(stored.body.journal.map((j) => [j.element, j.value.split("\n")[0]])).toEqual(
      expect.arrayContaining([
        ["work_notes", "Checked the storage firewall."],
        ["comments", "We will fix this on Friday."],
      ]),
    );

    const after = await read(ticket.id);
    const ours = after.body.entries.filter((e) => e.text.includes("(via PostureDesk)") && !e.text.startsWith("PostureDesk"));
    // Both entries; written within the same second they share sys_created_on, so their order is not asserted.
    expect(ours.map((e) => e.element).sort()).toEqual(["comments", "work_notes"]);
    // Newest first over the whole journal.
    const times = after.body.entries.map((e) => e.createdAt ?? "");
    expect([...times].sort().reverse()).toEqual(times);
    expect(after.body.entries[0]!.createdByName).toBeTruthy();

    const audits = await db().auditLog.findMany({ where: { action: "ticket.journal", targetId: ticket.id }, orderBy: { id: "asc" } });
    expect(audits.map((a) => (a.after as { element: string }).element)).toEqual(["work_notes", "comments"]);
  });

  test("GET /api/tickets/{id} names the person who created the ticket", async () => {
    const res = await call(ticketRoute.GET, "GET", `/api/tickets/${ticket.id}`, { params: { id: ticket.id }, cookie: manager });
    expect(res.status).toBe(200);
    expect((await res.json()) as TTicketDetail).toMatchObject({ createdByType: "user", createdByName: "Ari Journal" });
  });

  test("a manager cannot write; bad input is a clear 4xx; unknown tickets are 404", async () => {
    expect((await add(ticket.id, { element: "work_notes", text: "no" }, manager)).status).toBe(403);
    const empty = await add(ticket.id, { element: "work_notes", text: "   " });
    expect(empty.status).toBe(422);
    expect(empty.body.detail).toMatch(/text/i);
    expect((await add(ticket.id, { element: "close_notes", text: "x" })).status).toBe(422);
    expect((await add(ticket.id, { element: "comments", text: "x", extra: 1 })).status).toBe(422);
    expect((await add(ticket.id, { element: "comments", text: "x".repeat(4001) })).status).toBe(422);
    const missing = crypto.randomUUID();
    expect((await read(missing)).status).toBe(404);
    expect((await add(missing, { element: "comments", text: "x" })).status).toBe(404);
    expect((await read("not-a-uuid")).status).toBe(422);
    const journal = await db().auditLog.count({ where: { action: "ticket.journal", targetId: ticket.id } });
    expect(journal).toBe(2);
  });

  test("ServiceNow refusing the write is a 502 with its reason and nothing is audited", async () => {
    // The emulator is shared with files running beside this one: the fault is scoped to this ticket's
    // record and only it is removed afterwards.
    const { sysId } = await db().ticket.findUniqueOrThrow({ where: { id: ticket.id }, select: { sysId: true } });
    const added = await suite.emu.control<{ value: Array<{ id: string }> }>("servicenow", "POST", "/_emulator/faults", {
      emulator: "servicenow",
      method: "PATCH",
      path: `/api/now/table/incident/${sysId}`,
      kind: "status",
      status: 500,
      times: 5,
    });
    expect(added.status).toBe(201);
    try {
      const res = await add(ticket.id, { element: "work_notes", text: "will fail" });
      expect(res.status).toBeGreaterThanOrEqual(502);
      expect(res.status).toBeLessThan(505);
    } finally {
      for (const { id } of added.body.value) await suite.emu.control("servicenow", "DELETE", `/_emulator/faults/${id}`);
    }
    expect(await db().auditLog.count({ where: { action: "ticket.journal", targetId: ticket.id } })).toBe(2);
  });
});
