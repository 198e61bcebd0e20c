// A ticket creation ServiceNow does not confirm is never lost: POST /api/tickets answers 202 with the
// pending ticket request, the ticket-request job retries it (lookup by correlation id first) until it
// is created exactly once or fails for a reason retrying cannot fix. Faults are injected on private
// emulators both before the insert is applied and after it (the insert committed, the answer a 504).
// The job's handler is driven directly (attemptTicketRequest), so nothing waits for a backoff.
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { findingDetails } from "@/lib/findings/list";
import { type TTicketRequestDto } from "@/lib/schemas/ticket-requests";
import { type TCreateTicketsResult } from "@/lib/schemas/tickets";
import { call, signedInUser } from "@/test/app";
import { addFault, findingsWorldSuite } from "@/test/integration";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as requestRoute from "@/app/api/ticket-requests/[id]/route";
import { attemptTicketRequest } from "@/lib/tickets/request-job";
import { firstIncidentCorrelation } from "@/lib/tickets/testing";

const MAX_ATTEMPTS = 4;

// The demo world: the 200-creation test needs 200 unhealthy findings besides the other tests' (the small
// world's 300 assessments have fewer since its settled recommendations are remediated).
const suite = findingsWorldSuite({
  emulators: { size: "demo" },
  env: { TICKET_RETRY_MAX_ATTEMPTS: String(MAX_ATTEMPTS), TICKET_RETRY_BASE_SECONDS: "1" },
  stopsBoss: true,
  timeoutMs: 120_000,
});
const { take } = suite;
let analyst: string;
let manager: string;
let norole: string;

async function post(body: unknown) {
  const res = await call(ticketsRoute.POST, "POST", "/api/tickets", { body, cookie: analyst });
  return { status: res.status, body: (await res.json()) as TCreateTicketsResult & { detail?: string; code?: string } };
}

async function getRequest(id: string, cookie = manager) {
  const res = await call(requestRoute.GET, "GET", `/api/ticket-requests/${id}`, { cookie, params: { id } });
  return { status: res.status, body: (await res.json()) as TTicketRequestDto & { detail?: string } };
}

const fault = (rule: Record<string, unknown>) => addFault(suite.emu, "servicenow", rule);
const incidentsWith = (correlationId: string) => suite.sn.count("incident", `correlation_id=${correlationId}`);

const correlationOf = (findings: Array<{ armId: string }>) => firstIncidentCorrelation(suite.connection, findings);

beforeAll(async () => {
  analyst = (await signedInUser("ANALYST")).cookie;
  manager = (await signedInUser("MANAGER")).cookie;
  norole = (await signedInUser(null)).cookie;
});

afterEach(async () => {
  await suite.emu.control("servicenow", "DELETE", "/_emulator/faults");
});

describe("a create that failed before it was applied", () => {
  test("202 with the pending request; the job creates exactly one incident; the findings, the request and the history say so", async () => {
    // More 500s than the request's own three tries (each followed by a lookup): nothing is applied.
    await fault({ method: "POST", path: "/api/now/table/incident", kind: "status", status: 500, times: 3 });
    const findings = take(2);
    const res = await post({ connectionId: suite.connection.id, type: "incident", findingIds: findings.map((f) => f.id) });
    expect(res.status).toBe(202);
    expect(res.body.tickets).toEqual([]);
    expect(res.body.pending).toHaveLength(1);
    const pending = res.body.pending![0]!;
    expect(pending).toMatchObject({ type: "incident", findingIds: findings.map((f) => f.id) });
    expect(await incidentsWith(correlationOf(findings))).toBe(0);

    const before = await getRequest(pending.id);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ id: pending.id, status: "pending", attempts: 1, error: { code: "UPSTREAM_UNCERTAIN" } });
    expect(Date.parse(before.body.nextAttemptAt!)).toBeGreaterThan(Date.now());
    const [dto] = await findingDetails([findings[0]!.id]);
    expect(dto!.ticket).toBeNull();
    expect(dto!.ticketRequest).toMatchObject({ id: pending.id, status: "pending", attempts: 1 });

    const outcome = await attemptTicketRequest(pending.id);
    expect(outcome.status).toBe("created");
    expect(await incidentsWith(correlationOf(findings))).toBe(1);
    const after = await getRequest(pending.id);
    expect(after.body).toMatchObject({ status: "created", attempts: 2, ticket: { state: "open" } });
    expect(after.body.nextAttemptAt).toBeUndefined();
    const [linked] = await findingDetails([findings[0]!.id]);
    expect(linked!.ticket?.number).toBe(after.body.ticket!.number);
    expect(linked!.ticketRequest).toBeNull();

    // The outcome is in the sync history: a ticket_request run with the failed attempt and the creation.
    const run = await db().syncRun.findFirstOrThrow({
      where: { kind: "ticket_request", connectionId: suite.connection.id },
      include: { events: { orderBy: { id: "asc" } } },
      orderBy: { queuedAt: "desc" },
    });
    expect(run.status).toBe("succeeded");
    expect(run.events.map((e) => e.action)).toEqual(["error", "created"]);
    expect(run.events[1]!.message).toContain(after.body.ticket!.number);
    // The audit log names the analyst who asked, not a machine.
    const entry = await db().auditLog.findFirstOrThrow({ where: { action: "ticket.create", targetId: after.body.ticket!.id } });
    expect(entry.actorType).toBe("user");

    // A second run of the job (a duplicate delivery) changes nothing.
    expect((await attemptTicketRequest(pending.id)).status).toBe("skipped");
    expect(await incidentsWith(correlationOf(findings))).toBe(1);
  });
});

describe("a create applied but answered 504", () => {
  test("within the request: the lookup finds the record, 201, one incident", async () => {
    await fault({ method: "POST", path: "/api/now/table/incident", kind: "status", status: 504, phase: "after", times: 1 });
    const findings = take(1);
    const res = await post({ connectionId: suite.connection.id, type: "incident", findingIds: findings.map((f) => f.id) });
    expect(res.status).toBe(201);
    expect(await incidentsWith(correlationOf(findings))).toBe(1);
  });

  test("with the lookups failing too: 202, then the job adopts the committed record instead of creating another", async () => {
    await fault({ method: "POST", path: "/api/now/table/incident", kind: "status", status: 504, phase: "after", times: 1 });
    // The lookup before the create passes; every lookup after it fails (first try and the client's retries).
    await fault({ method: "GET", path: "/api/now/table/incident", kind: "status", status: 503, skip: 1, times: 5 });
    const findings = take(1);
    const res = await post({ connectionId: suite.connection.id, type: "incident", findingIds: findings.map((f) => f.id) });
    expect(res.status).toBe(202);
    expect(await incidentsWith(correlationOf(findings))).toBe(1); // already committed by ServiceNow
    const outcome = await attemptTicketRequest(res.body.pending![0]!.id);
    expect(outcome.status).toBe("created");
    expect(await incidentsWith(correlationOf(findings))).toBe(1);
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "ticket.create", targetId: outcome.request!.ticketId! } });
    expect(audit.after).toMatchObject({ recoveredExisting: true });
  }, 60_000);
});

describe("failures retrying cannot fix, and the bound on attempts", () => {
  test("an ACL refusal fails at once, naming the missing permission; the request is failed", async () => {
    await fault({ method: "POST", path: "/api/now/table/incident", kind: "status", status: 403, times: 1 });
    const [finding] = take(1);
    const res = await post({ connectionId: suite.connection.id, type: "incident", findingIds: [finding!.id] });
    expect(res.status).toBe(502);
    expect(res.body.detail).toMatch(/missing the "create" permission on the incident table \(the itil role grants it\)/);
    const request = await db().ticketRequest.findFirstOrThrow({ where: { findingIds: { has: finding!.id } } });
    expect(request).toMatchObject({ status: "failed", attempts: 1, errorCode: "UPSTREAM_FORBIDDEN" });
  });

  test(`ServiceNow down for good: the job gives up after ${MAX_ATTEMPTS} attempts, the finding shows the failure, the history records it`, async () => {
    await fault({ method: "POST", path: "/api/now/table/incident", kind: "status", status: 500 });
    const [finding] = take(1);
    const res = await post({ connectionId: suite.connection.id, type: "incident", findingIds: [finding!.id] });
    expect(res.status).toBe(202);
    const id = res.body.pending![0]!.id;
    const statuses: string[] = [];
    for (let i = 0; i < MAX_ATTEMPTS; i++) statuses.push((await attemptTicketRequest(id)).status);
    expect(statuses).toEqual([...Array(MAX_ATTEMPTS - 2).fill("pending"), "failed", "skipped"]);
    const got = await getRequest(id);
    expect(got.body).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
    expect(got.body.error!.message).toMatch(/gave up after 4 attempts/);
    const [dto] = await findingDetails([finding!.id]);
    expect(dto!.ticketRequest).toMatchObject({ status: "failed" });
    const run = await db().syncRun.findFirstOrThrow({ where: { kind: "ticket_request", status: "failed" }, include: { events: true } });
    expect(run.events.filter((e) => e.action === "error")).toHaveLength(MAX_ATTEMPTS + 1);
    expect(await incidentsWith(correlationOf([finding!]))).toBe(0);
  }, 60_000);
});

describe("GET /api/ticket-requests/{id}", () => {
  test("role-checked; unknown → 404; not a UUID → 422", async () => {
    const id = (await db().ticketRequest.findFirstOrThrow()).id;
    expect((await getRequest(id, norole)).status).toBe(403);
    expect((await call(requestRoute.GET, "GET", `/api/ticket-requests/${id}`, { params: { id } })).status).toBe(401);
    expect((await getRequest("7d9f4c1e-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await getRequest("nope")).status).toBe(422);
  });
});

describe("200 creations with 10 % applied-then-504 and 10 % failed-before-applied", () => {
  test("200 incidents in ServiceNow, no duplicate correlation id, no finding left pending", async () => {
    const findings = take(200);
    const answers: Array<{ status: number; pending: string[] }> = [];
    for (const [i, f] of findings.entries()) {
      // Deterministic mix: every 10th create is committed and answered 504; every 10th (offset 5) fails
      // before it is applied, more often than the request tries, so the retry job must finish it.
      if (i % 10 === 0)
        await fault({ method: "POST", path: "/api/now/table/incident", kind: "status", status: 504, phase: "after", times: 1 });
      if (i % 10 === 5) await fault({ method: "POST", path: "/api/now/table/incident", kind: "status", status: 500, times: 3 });
      const res = await post({ connectionId: suite.connection.id, type: "incident", findingIds: [f.id] });
      answers.push({ status: res.status, pending: (res.body.pending ?? []).map((p) => p.id) });
    }
    expect(answers.filter((a) => a.status === 202)).toHaveLength(20);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(180);

    // The job, driven to completion: every pending request, as often as it takes.
    for (let round = 0; round < MAX_ATTEMPTS; round++) {
      const pending = await db().ticketRequest.findMany({
        where: { status: "pending", findingIds: { hasSome: findings.map((f) => f.id) } },
        select: { id: true },
      });
      if (pending.length === 0) break;
      for (const p of pending) await attemptTicketRequest(p.id);
    }

    const ids = findings.map((f) => correlationOf([f]));
    const records = await suite.emu.control<{ total: number; result: Array<{ correlation_id: string }> }>(
      "servicenow",
      "GET",
      `/_emulator/records/incident?limit=10000&sysparm_query=${encodeURIComponent(`correlation_idSTARTSWITH${suite.connection.correlationPrefix}:inc:`)}`,
    );
    const ours = records.body.result.map((r) => r.correlation_id).filter((c) => ids.includes(c));
    expect(ours).toHaveLength(200);
    expect(new Set(ours).size).toBe(200);
    expect(
      await db().ticketRequest.count({ where: { status: { not: "created" }, findingIds: { hasSome: findings.map((f) => f.id) } } }),
    ).toBe(0);
    expect(
      await db().ticketLink.count({ where: { findingId: { in: findings.map((f) => f.id) }, activeConnectionId: suite.connection.id } }),
    ).toBe(200);
    const dtos = await findingDetails(findings.map((f) => f.id));
    expect(dtos.filter((d) => d.ticketRequest !== null)).toEqual([]);
  }, 300_000);
});
