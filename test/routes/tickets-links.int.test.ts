// Links between findings and tickets (link an existing ServiceNow ticket by number, link to ours,
// move, unlink, re-ticket) and reading tickets (list filters and paging, detail with findings and
// history), through the route handlers against the ServiceNow and ARM emulators.
import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { type TPage } from "@/lib/schemas/common";
import { type TCreatedTicket, type TTicketDetail, type TTicketDto } from "@/lib/schemas/tickets";
import { call, signedInUser } from "@/test/app";
import { findingsWorldSuite } from "@/test/integration";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as ticketRoute from "@/app/api/tickets/[id]/route";
import * as linksRoute from "@/app/api/tickets/[id]/links/route";
import * as unlinkRoute from "@/app/api/tickets/[id]/links/[findingId]/route";

const suite = findingsWorldSuite();
const { take } = suite;
let analyst: string;
let manager: string;

async function json<T>(res: Response): Promise<{ status: number; body: T & { detail?: string } }> {
  return { status: res.status, body: (res.status === 204 ? {} : await res.json()) as T & { detail?: string } };
}
const createTicket = async (body: Record<string, unknown>) =>
  json<{ tickets: TCreatedTicket[] }>(
    await call(ticketsRoute.POST, "POST", "/api/tickets", {
      body: { connectionId: suite.connection.id, type: "incident", ...body },
      cookie: analyst,
    }),
  );
const link = async (ref: string, body: Record<string, unknown>, cookie = analyst) =>
  json<{
    ticket: { id: string; number: string };
    linked: string[];
    alreadyLinked: string[];
    moved: Array<{ findingId: string; from: string }>;
  }>(await call(linksRoute.POST, "POST", `/api/tickets/${ref}/links`, { params: { id: ref }, body, cookie }));
const unlink = async (ticketId: string, findingId: string, cookie = analyst) =>
  json<object>(
    await call(unlinkRoute.DELETE, "DELETE", `/api/tickets/${ticketId}/links/${findingId}`, {
      params: { id: ticketId, findingId },
      cookie,
    }),
  );
const list = async (query: Record<string, string>, cookie = manager) =>
  json<TPage<TTicketDto>>(await call(ticketsRoute.GET, "GET", "/api/tickets", { query, cookie }));
const detail = async (id: string) =>
  json<TTicketDetail>(await call(ticketRoute.GET, "GET", `/api/tickets/${id}`, { params: { id }, cookie: manager }));

beforeAll(async () => {
  analyst = (await signedInUser("ANALYST")).cookie;
  manager = (await signedInUser("MANAGER")).cookie;
});

describe("POST /api/tickets/{id}/links", () => {
  test("links an existing ServiceNow incident by number: recorded, linked, carried to Defender, audited", async () => {
    const seeded = await suite.emu.control<{ result: Array<{ number: string; sys_id: string }> }>(
      "servicenow",
      "GET",
      `/_emulator/records/incident?sysparm_query=${encodeURIComponent("active=true^ORDERBYnumber")}&limit=1`,
    );
    const number = seeded.body.result[0]!.number;
    const findings = take(2);
    const res = await link(number, { connectionId: suite.connection.id, findingIds: findings.map((f) => f.id) });
    expect(res.status).toBe(200);
    expect(res.body.ticket.number).toBe(number);
    expect(res.body.linked).toEqual(findings.map((f) => f.id));
    const ticket = await db().ticket.findUniqueOrThrow({ where: { id: res.body.ticket.id } });
    expect(ticket.sysId).toBe(seeded.body.result[0]!.sys_id);
    // A seeded ticket's correlation id is not ours: it is not adopted.
    expect(ticket.correlationId).toBeNull();
    const governance = await db().governanceAssignment.findMany({ where: { findingId: { in: findings.map((f) => f.id) } } });
    expect(governance.map((g) => [g.ticketNumber, g.azureState])).toEqual([
      [Number(number.slice(3)), "synced"],
      [Number(number.slice(3)), "synced"],
    ]);
    expect(await db().auditLog.count({ where: { action: "link.create", targetId: ticket.id } })).toBe(1);

    const again = await link(number.toLowerCase(), { connectionId: suite.connection.id, findingIds: [findings[0]!.id] });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ linked: [], alreadyLinked: [findings[0]!.id] });
    expect(await db().ticketLink.count({ where: { findingId: findings[0]!.id } })).toBe(1);
  });

  test("a finding with another active ticket: 409, or moved with replace", async () => {
    const [a, b] = take(2);
    const first = await createTicket({ findingIds: [a!.id] });
    const second = await createTicket({ findingIds: [b!.id] });
    expect(first.status).toBe(201);
    const target = second.body.tickets[0]!;
    const refused = await link(target.id, { findingIds: [a!.id] });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(first.body.tickets[0]!.number);
    const moved = await link(target.id, { findingIds: [a!.id], replace: true });
    expect(moved.status).toBe(200);
    expect(moved.body.moved).toEqual([{ findingId: a!.id, from: first.body.tickets[0]!.number }]);
    const old = await db().ticketLink.findFirstOrThrow({ where: { findingId: a!.id, ticketId: first.body.tickets[0]!.id } });
    expect(old.activeConnectionId).toBeNull();
    expect(old.unlinkReason).toContain(`moved to ${target.number}`);
  });

  test("bad references: unknown number 404, number without connection 422, malformed id 422, manager 403", async () => {
    const [f] = take(1);
    expect((await link("INC9999999", { connectionId: suite.connection.id, findingIds: [f!.id] })).status).toBe(404);
    const noConnection = await link("INC0010001", { findingIds: [f!.id] });
    expect(noConnection.status).toBe(422);
    expect(noConnection.body.detail).toContain("connection");
    expect((await link("not-a-ticket", { findingIds: [f!.id] })).status).toBe(422);
    expect((await link("INC0010001", { connectionId: suite.connection.id, findingIds: [f!.id] }, manager)).status).toBe(403);
  });
});

describe("DELETE /api/tickets/{id}/links/{findingId}", () => {
  test("unlinks: history kept, governance no longer names the ticket, audited; a new ticket is a new generation", async () => {
    const [f] = take(1);
    const created = await createTicket({ findingIds: [f!.id] });
    const ticket = created.body.tickets[0]!;
    expect((await unlink(ticket.id, f!.id, manager)).status).toBe(403);
    expect((await unlink(ticket.id, f!.id)).status).toBe(204);
    expect((await unlink(ticket.id, f!.id)).status).toBe(404);
    const links = await db().ticketLink.findMany({ where: { findingId: f!.id } });
    expect(links).toHaveLength(1);
    expect(links[0]!.activeConnectionId).toBeNull();
    const governance = await db().governanceAssignment.findFirstOrThrow({ where: { findingId: f!.id } });
    expect(governance).toMatchObject({ ticketNumber: null, ticketLink: null, azureState: "synced" });
    expect(await db().auditLog.count({ where: { action: "link.delete", targetId: ticket.id } })).toBe(1);

    const again = await createTicket({ findingIds: [f!.id] });
    expect(again.status).toBe(201);
    expect(again.body.tickets[0]!.number).not.toBe(ticket.number);
    const row = await db().ticket.findUniqueOrThrow({ where: { id: again.body.tickets[0]!.id } });
    expect(row.correlationId).toMatch(/:g2$/);
  });
});

describe("GET /api/tickets and /api/tickets/{id}", () => {
  test("lists with filters and paging; a manager may read", async () => {
    const [f1, f2] = take(2);
    const inc = (await createTicket({ findingIds: [f1!.id] })).body.tickets[0]!;
    const prb = (await createTicket({ type: "problem", findingIds: [f2!.id] })).body.tickets[0]!;

    const all = await list({ pageSize: "500" });
    expect(all.status).toBe(200);
    expect(all.body.items.map((t) => t.id)).toEqual(expect.arrayContaining([inc.id, prb.id]));
    const problems = await list({ type: "problem" });
    expect(problems.body.items.every((t) => t.table === "problem")).toBe(true);
    expect(problems.body.items.map((t) => t.id)).toContain(prb.id);
    const byNumber = await list({ q: inc.number });
    expect(byNumber.body.items.map((t) => t.id)).toEqual([inc.id]);
    const byFinding = await list({ findingId: f2!.id });
    expect(byFinding.body.items.map((t) => t.id)).toEqual([prb.id]);
    expect(byFinding.body.items[0]).toMatchObject({
      linkedFindings: 1,
      stateLabel: "New",
      isOverdue: false,
      connection: { id: suite.connection.id },
    });
    const page2 = await list({ pageSize: "1", page: "2", sort: "number" });
    expect(page2.body).toMatchObject({ page: 2, pageSize: 1, total: all.body.total });
    expect(page2.body.items).toHaveLength(1);
    expect((await list({ overdue: "true" })).body.items).toHaveLength(0);
    expect((await list({ pageSize: "501" })).status).toBe(422);
    expect((await list({ state: "bogus" })).status).toBe(422);
  });

  test("detail: findings (current and past) and history; 404 and 422 for bad ids", async () => {
    const [a, b] = take(2);
    const created = (await createTicket({ findingIds: [a!.id, b!.id] })).body.tickets[0]!;
    await unlink(created.id, b!.id);
    const res = await detail(created.id);
    expect(res.status).toBe(200);
    expect(res.body.findings.map((f) => [f.findingId, f.isActive])).toEqual([
      [a!.id, true],
      [b!.id, false],
    ]);
    expect(res.body.findings[0]!.governance).toMatchObject({ azureState: "synced" });
    expect(res.body.history.map((h) => h.action)).toEqual(["link.delete", "ticket.create"]);
    expect(res.body.linkedFindings).toBe(1);
    expect((await detail("00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await detail("nope")).status).toBe(422);
  });
});
