// POST /api/tickets against the ServiceNow and ARM emulators: each ticket type with the fields a user
// would check in ServiceNow and in Defender, exactly-once under repeats, concurrency and a crash between
// the ServiceNow POST and the database write, and the errors a user must see (4xx, never 500).
import { beforeAll, describe, expect, test } from "vitest";
import { emulatorAzureClient } from "@/lib/ingestion/testing/fixtures";
import { db } from "@/lib/db";
import { governanceAssignmentKey } from "@/lib/governance/keys";
import { type TCreatedTicket } from "@/lib/schemas/tickets";
import { call, roleCookies } from "@/test/app";
import { findingsWorldSuite } from "@/test/integration";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as connectionRoute from "@/app/api/connections/[id]/route";
import { correlationBase } from "@/lib/tickets/correlation";
import { closedPort, emulatorConnection, firstIncidentCorrelation, ticketBody } from "@/lib/tickets/testing";
import { governanceTicketLink } from "@/lib/tickets/states";

const suite = findingsWorldSuite({ connection: { defaultAssignmentGroup: "Cloud Security Operations" }, stopsBoss: true });
/** Unhealthy findings no other test of this file used. */
const { take } = suite;
let analyst: string;
let manager: string;
let admin: string;

type SnRecord = Record<string, string>;
async function snRecord(table: string, sysId: string): Promise<SnRecord> {
  const r = await suite.emu.control<{ result: SnRecord }>("servicenow", "GET", `/_emulator/records/${table}/${sysId}`);
  expect(r.status).toBe(200);
  return r.body.result;
}
async function snCount(table: string, correlationId: string): Promise<number> {
  const r = await suite.emu.control<{ total: number }>(
    "servicenow",
    "GET",
    `/_emulator/records/${table}?sysparm_query=${encodeURIComponent(`correlation_id=${correlationId}`)}`,
  );
  return r.body.total;
}

async function post(body: unknown, cookie = analyst) {
  const res = await call(ticketsRoute.POST, "POST", "/api/tickets", { body, cookie });
  return {
    status: res.status,
    body: (await res.json()) as {
      tickets: TCreatedTicket[];
      detail?: string;
      errors?: Array<{ path: string; message: string }>;
      details?: unknown;
    },
  };
}

/** A POST /api/tickets body for one incident on the suite's connection, with any other fields. */
const incident = (findingIds: string[], fields: Record<string, unknown> = {}) => ({
  connectionId: suite.connection.id,
  type: "incident",
  findingIds,
  ...fields,
});

beforeAll(async () => {
  ({ admin, analyst, manager } = await roleCookies());
});

describe("POST /api/tickets – each ticket type", () => {
  test("an incident for three resources: one ticket, prefilled fields, links, governance in Defender, audit", async () => {
    const findings = take(3);
    const res = await post(ticketBody(suite.connection.id, "incident", findings, "single"));
    expect(res.status).toBe(201);
    expect(res.body.tickets).toHaveLength(1);
    const created = res.body.tickets[0]!;
    expect(created.number).toMatch(/^INC\d{7}$/);
    expect(created.state).toBe("open");
    expect(created.findingIds).toEqual(findings.map((f) => f.id));

    const ticket = await db().ticket.findUniqueOrThrow({ where: { id: created.id } });
    const record = await snRecord("incident", ticket.sysId);
    expect(record.number).toBe(created.number);
    expect(record.correlation_id).toBe(firstIncidentCorrelation(suite.connection, findings));
    expect(record.correlation_id!.length).toBeLessThanOrEqual(100);
    expect(record.short_description).toMatch(/^Defender for Cloud: /);
    for (const f of findings) expect(record.description).toContain(f.resourceId);
    expect(record.description).toContain("Remediation steps:");
    expect(["1", "2", "3"]).toContain(record.impact);
    expect(record.priority).toBe(String(Number(record.impact) + Number(record.urgency) - 1));
    const group = await suite.emu.control<{ result: SnRecord[] }>(
      "servicenow",
      "GET",
      `/_emulator/records/sys_user_group?sysparm_query=${encodeURIComponent("name=Cloud Security Operations")}`,
    );
    expect(record.assignment_group).toBe(group.body.result[0]!.sys_id);
    expect(ticket.assignmentGroupName).toBe("Cloud Security Operations");
    // Due date from the severity's remediation timeframe (30, 60 or 90 days by default).
    const days = Math.round((ticket.dueDate!.getTime() - Date.now()) / 86_400_000);
    expect([30, 60, 90]).toContain(days);

    const links = await db().ticketLink.findMany({ where: { ticketId: created.id } });
    expect(links.map((l) => l.activeConnectionId)).toEqual([suite.connection.id, suite.connection.id, suite.connection.id]);

    const azure = emulatorAzureClient(suite.emu.manifest);
    for (const f of findings) {
      const assignment = await azure.governance.getAssignment({
        resourceId: f.resourceId,
        assessmentName: f.recommendationKey,
        assignmentKey: governanceAssignmentKey(f.armId),
      });
      // The link opens the ticket by its full number (Defender keeps only the digits of it).
      expect(assignment?.properties.additionalData).toEqual({
        ticketNumber: Number(created.number.slice(3)),
        ticketLink: governanceTicketLink(created.url, "incident", created.number),
        ticketStatus: "New",
      });
      expect(assignment?.properties.governanceEmailNotification).toEqual({
        disableOwnerEmailNotification: false,
        disableManagerEmailNotification: false,
      });
      expect(new Date(assignment!.properties.remediationDueDate).getTime()).toBe(ticket.dueDate!.getTime());
    }
    const rows = await db().governanceAssignment.findMany({ where: { findingId: { in: findings.map((f) => f.id) } } });
    expect(rows.map((r) => r.azureState)).toEqual(["synced", "synced", "synced"]);

    const audits = await db().auditLog.findMany({ where: { action: "ticket.create", targetId: created.id } });
    expect(audits).toHaveLength(1);
    expect(audits[0]!.actorType).toBe("user");
  });

  test("problems, one per finding", async () => {
    const findings = take(2);
    const res = await post(ticketBody(suite.connection.id, "problem", findings, "per-finding"));
    expect(res.status).toBe(201);
    expect(res.body.tickets.map((t) => t.findingIds)).toEqual(findings.map((f) => [f.id]));
    for (const t of res.body.tickets) {
      expect(t.number).toMatch(/^PRB\d{7}$/);
      const row = await db().ticket.findUniqueOrThrow({ where: { id: t.id } });
      expect((await snRecord("problem", row.sysId)).state).toBe("101");
    }
    expect(new Set(res.body.tickets.map((t) => t.number)).size).toBe(2);
  });

  test("an emergency change request assigned to a person: type, assignee and Defender owner", async () => {
    const [finding] = take(1);
    const res = await post({
      connectionId: suite.connection.id,
      type: "change_request",
      findingIds: [finding!.id],
      changeType: "emergency",
      assignedTo: "ari.analyst@contoso.example",
      shortDescription: "Patch the exposed VM",
      impact: 1,
      urgency: 1,
      gracePeriod: true,
    });
    expect(res.status).toBe(201);
    const created = res.body.tickets[0]!;
    expect(created.number).toMatch(/^CHG\d{7}$/);
    const row = await db().ticket.findUniqueOrThrow({ where: { id: created.id } });
    const record = await snRecord("change_request", row.sysId);
    expect(record).toMatchObject({
      type: "emergency",
      short_description: "Patch the exposed VM",
      impact: "1",
      urgency: "1",
      priority: "1",
      state: "-5",
    });
    expect(row.assignedToName).toBe("Ari Analyst");
    expect(row.changeType).toBe("emergency");
    const governance = await db().governanceAssignment.findFirstOrThrow({ where: { findingId: finding!.id } });
    expect(governance).toMatchObject({
      owner: "ari.analyst@contoso.example",
      isGracePeriod: true,
      azureState: "synced",
      ticketStatus: "New",
    });
  });
});

describe("POST /api/tickets – exactly once", () => {
  test("the same request repeated returns the same ticket (200) and creates nothing", async () => {
    const findings = take(2);
    const body = { connectionId: suite.connection.id, type: "incident", findingIds: findings.map((f) => f.id) };
    const first = await post(body);
    expect(first.status).toBe(201);
    const again = await post({ ...body, findingIds: [...body.findingIds].reverse() });
    expect(again.status).toBe(200);
    expect(again.body.tickets.map((t) => t.id)).toEqual(first.body.tickets.map((t) => t.id));
    const correlationId = firstIncidentCorrelation(suite.connection, findings);
    expect(await snCount("incident", correlationId)).toBe(1);
  });

  test("20 concurrent requests for the same findings create one ticket", async () => {
    const findings = take(3);
    const body = { connectionId: suite.connection.id, type: "incident", findingIds: findings.map((f) => f.id) };
    const results = await Promise.all(Array.from({ length: 20 }, () => post(body)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(19);
    expect(new Set(results.map((r) => r.body.tickets[0]!.id)).size).toBe(1);
    const correlationId = firstIncidentCorrelation(suite.connection, findings);
    expect(await snCount("incident", correlationId)).toBe(1);
    expect(await db().ticket.count({ where: { correlationId } })).toBe(1);
    expect(await db().ticketLink.count({ where: { findingId: { in: body.findingIds } } })).toBe(3);
  });

  test("concurrent requests whose finding sets overlap create one ticket and leave no orphan in ServiceNow", async () => {
    const [a, shared, c] = take(3);
    const first = { connectionId: suite.connection.id, type: "incident", findingIds: [a.id, shared.id] };
    const second = { connectionId: suite.connection.id, type: "incident", findingIds: [shared.id, c.id] };
    const results = await Promise.all([post(first), post(second), post(first), post(second)]);
    const created = results.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).length + results.filter((r) => r.status === 200).length).toBe(3);
    const winner = created[0]!.body.tickets[0]!;
    const loser = winner.findingIds.includes(a.id) ? second : first;
    const loserCorrelation = `${correlationBase(
      suite.connection.correlationPrefix,
      "incident",
      loser.findingIds.map((id) => [a, shared, c].find((f) => f.id === id)!.armId),
    )}:g1`;
    expect(await snCount("incident", loserCorrelation)).toBe(0);
    expect(await db().ticketLink.count({ where: { findingId: shared.id, activeConnectionId: suite.connection.id } })).toBe(1);
  });

  test("a crash between the ServiceNow POST and the database write is repaired by the next attempt", async () => {
    const findings = take(2);
    const body = { connectionId: suite.connection.id, type: "incident", findingIds: findings.map((f) => f.id) };
    const correlationId = firstIncidentCorrelation(suite.connection, findings);
    // The database refuses the ticket row once: ServiceNow has the record, PostureDesk does not.
    await suite.database.pool.query(`
      CREATE FUNCTION test_fail_ticket() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated crash'; END $$;
      CREATE TRIGGER test_fail_ticket BEFORE INSERT ON "Ticket" FOR EACH ROW EXECUTE FUNCTION test_fail_ticket();`);
    let pendingId: string;
    try {
      // Not lost: the request is kept as a pending ticket request (the retry job, or a repeat, finishes it).
      const crashed = await post(body);
      expect(crashed.status).toBe(202);
      pendingId = (crashed.body as unknown as { pending: Array<{ id: string }> }).pending[0]!.id;
    } finally {
      await suite.database.pool.query(`DROP TRIGGER test_fail_ticket ON "Ticket"; DROP FUNCTION test_fail_ticket();`);
    }
    expect(await snCount("incident", correlationId)).toBe(1);
    expect(await db().ticket.count({ where: { correlationId } })).toBe(0);

    const repaired = await post(body);
    expect(repaired.status).toBe(201);
    const snRows = await suite.emu.control<{ result: SnRecord[] }>(
      "servicenow",
      "GET",
      `/_emulator/records/incident?sysparm_query=${encodeURIComponent(`correlation_id=${correlationId}`)}`,
    );
    expect(snRows.body.result).toHaveLength(1);
    expect(repaired.body.tickets[0]!.number).toBe(snRows.body.result[0]!.number);
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "ticket.create", targetId: repaired.body.tickets[0]!.id } });
    expect(audit.after).toMatchObject({ recoveredExisting: true });
    // The repeat served the pending request: one request, created, with the ticket.
    expect(await db().ticketRequest.findUniqueOrThrow({ where: { id: pendingId! } })).toMatchObject({
      status: "created",
      ticketId: repaired.body.tickets[0]!.id,
    });
  });

  test("a finding with another active ticket on the connection: 409 naming the ticket", async () => {
    const findings = take(2);
    const first = await post({ connectionId: suite.connection.id, type: "incident", findingIds: findings.map((f) => f.id) });
    expect(first.status).toBe(201);
    const other = await post({ connectionId: suite.connection.id, type: "problem", findingIds: [findings[0]!.id] });
    expect(other.status).toBe(409);
    expect(other.body.detail).toContain(first.body.tickets[0]!.number);
    expect(other.body.details).toMatchObject({
      conflicts: [{ findingId: findings[0]!.id, ticket: { number: first.body.tickets[0]!.number } }],
    });
  });
});

describe("POST /api/tickets – errors the user sees", () => {
  test("missing fields: 422 naming each field", async () => {
    const res = await post({ type: "incident", findingIds: [] });
    expect(res.status).toBe(422);
    const paths = res.body.errors!.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["body.connectionId", "body.findingIds"]));
    const multiline = await post({
      connectionId: suite.connection.id,
      type: "incident",
      findingIds: [suite.world.unhealthy[0]!.id],
      assignmentGroup: "Team\n^NQactive=true",
    });
    expect(multiline.status).toBe(422);
    expect(multiline.body.errors![0]!.path).toBe("body.assignmentGroup");
  });

  test("unknown assignment group: 422 saying so, nothing created", async () => {
    const [finding] = take(1);
    const res = await post(incident([finding!.id], { assignmentGroup: "No Such Team" }));
    expect(res.status).toBe(422);
    expect(res.body.detail).toContain('Unknown assignment group "No Such Team"');
    expect(res.body.errors).toEqual([{ path: "body.assignmentGroup", message: expect.stringContaining("No Such Team") }]);
    expect(await db().ticketLink.count({ where: { findingId: finding!.id } })).toBe(0);
  });

  test("unknown assignee: 422", async () => {
    const [finding] = take(1);
    const res = await post(incident([finding!.id], { assignedTo: "nobody@contoso.example" }));
    expect(res.status).toBe(422);
    expect(res.body.errors![0]!.path).toBe("body.assignedTo");
  });

  test("instance down: 202, the ticket request is pending with a clear message", async () => {
    const down = await emulatorConnection(suite.emu.manifest, { instanceUrl: `https://127.0.0.1:${await closedPort()}` });
    const [finding] = take(1);
    const res = await post({ connectionId: down.id, type: "incident", findingIds: [finding!.id] });
    expect(res.status).toBe(202);
    const pending = (res.body as unknown as { pending: Array<{ id: string }> }).pending;
    const request = await db().ticketRequest.findUniqueOrThrow({ where: { id: pending[0]!.id } });
    expect(request).toMatchObject({ status: "pending", attempts: 1, error: "ServiceNow could not be reached." });
  });

  test("a healthy finding, an unknown finding, a past due date, a change type on an incident: 422", async () => {
    if (suite.world.healthyId) {
      const healthy = await post(incident([suite.world.healthyId]));
      expect(healthy.status).toBe(422);
      expect(healthy.body.detail).toContain("Healthy");
    }
    const unknown = await post(incident(["00000000-0000-4000-8000-000000000000"]));
    expect(unknown.status).toBe(422);
    const [finding] = take(1);
    const past = await post(incident([finding!.id], { dueDate: "2020-01-01" }));
    expect(past.status).toBe(422);
    expect(past.body.errors![0]!.path).toBe("body.dueDate");
    const wrongType = await post(incident([finding!.id], { changeType: "normal" }));
    expect(wrongType.status).toBe(422);
  });

  test("a manager cannot create tickets (403); without a session 401", async () => {
    const [finding] = take(1);
    const body = { connectionId: suite.connection.id, type: "incident", findingIds: [finding!.id] };
    expect((await post(body, manager)).status).toBe(403);
    const anonymous = await call(ticketsRoute.POST, "POST", "/api/tickets", { body });
    expect(anonymous.status).toBe(401);
    expect(await db().ticketLink.count({ where: { findingId: finding!.id } })).toBe(0);
  });

  test("an archived connection: 409", async () => {
    const archived = await emulatorConnection(suite.emu.manifest);
    const del = await call(connectionRoute.DELETE, "DELETE", `/api/connections/${archived.id}`, {
      params: { id: archived.id },
      cookie: admin,
    });
    expect(del.status).toBe(200);
    const [finding] = take(1);
    const res = await post({ connectionId: archived.id, type: "incident", findingIds: [finding!.id] });
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain("archived");
  });
});
