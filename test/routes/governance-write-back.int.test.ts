// Governance write-back as Defender documents it: ticketNumber is the number's digits (an int32), the
// ticketLink opens exactly that ticket by its full number and table (an incident and a problem with the
// same digits stay distinguishable), and governanceEmailNotification carries the connection's choice on
// every write. The ticket detail says what Defender displays.
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { defenderTicketDisplay, governanceTicketLink, ticketNumberToInteger } from "@/lib/tickets/states";
import { getTicket } from "@/lib/tickets/detail";
import { call, signedInUser } from "@/test/app";
import { syncWorldSuite } from "@/test/integration";
import * as connectionRoute from "@/app/api/connections/[id]/route";
import * as governanceRoute from "@/app/api/connections/[id]/governance/route";
import { ticketFor } from "@/lib/sync/testing";
import { runGovernanceCleanup } from "@/lib/governance/remove";

const suite = syncWorldSuite({ connection: { governanceOwnerEmails: false, governanceManagerEmails: true }, timeoutMs: 120_000 });

describe("governance write-back", () => {
  test("digits as ticketNumber, a link by full number and table, and the connection's e-mail choice", async () => {
    expect(suite.world.connection).toMatchObject({ governanceOwnerEmails: false, governanceManagerEmails: true });
    const defender = suite.defender;
    const [a, b] = suite.world.unhealthy;
    const incident = await ticketFor({
      connectionId: suite.world.connection.id,
      type: "incident",
      findingIds: [a!.id],
      grouping: "single",
    });
    const problem = await ticketFor({ connectionId: suite.world.connection.id, type: "problem", findingIds: [b!.id], grouping: "single" });

    const onIncident = (await defender.assignmentOf(a!.armId))!;
    const onProblem = (await defender.assignmentOf(b!.armId))!;
    expect(onIncident.properties.additionalData).toMatchObject({
      ticketNumber: ticketNumberToInteger(incident.number),
      ticketLink: governanceTicketLink(suite.world.connection.instanceUrl, "incident", incident.number),
    });
    expect(onProblem.properties.additionalData).toMatchObject({
      ticketNumber: ticketNumberToInteger(problem.number),
      ticketLink: governanceTicketLink(suite.world.connection.instanceUrl, "problem", problem.number),
    });
    const link = decodeURIComponent(onIncident.properties.additionalData!.ticketLink!);
    expect(link).toContain(`incident.do?sysparm_query=number=${incident.number}`);
    expect(link.startsWith(new URL(suite.world.connection.instanceUrl).origin)).toBe(true);
    for (const assignment of [onIncident, onProblem]) {
      expect(assignment.properties.governanceEmailNotification).toEqual({
        disableOwnerEmailNotification: true,
        disableManagerEmailNotification: false,
      });
    }

    // The ticket detail says what Defender displays: the digits, linked to the ticket by number.
    const detail = await getTicket(
      { type: "user", id: "00000000-0000-0000-0000-0000000000a1", name: "Ari", email: null, role: "ANALYST" },
      incident.id,
    );
    expect(detail.findings[0]!.governance).toMatchObject({
      azureState: "synced",
      ticketNumber: ticketNumberToInteger(incident.number),
      ticketLink: onIncident.properties.additionalData!.ticketLink,
    });
  }, 60_000);

  test("changing the connection's e-mail choice applies to the next write of its assignments", async () => {
    await db().serviceNowConnection.update({
      where: { id: suite.world.connection.id },
      data: { governanceOwnerEmails: true, governanceManagerEmails: false },
    });
    const f = suite.world.unhealthy[2]!;
    await ticketFor({ connectionId: suite.world.connection.id, type: "incident", findingIds: [f.id], grouping: "single" });
    const assignment = await suite.defender.assignmentOf(f.armId);
    expect(assignment!.properties.governanceEmailNotification).toEqual({
      disableOwnerEmailNotification: false,
      disableManagerEmailNotification: true,
    });
  }, 60_000);
});

describe("archiving a connection removes the governance assignments it wrote", () => {
  test("the count comes first; DELETE queues a background run that removes them with progress, history and audit; bad input is a 4xx", async () => {
    const admin = (await signedInUser("ADMIN")).cookie;
    const analyst = (await signedInUser("ANALYST")).cookie;
    const id = suite.world.connection.id;
    const managed = await db().governanceAssignment.findMany({
      where: { isManaged: true },
      include: { finding: { select: { armId: true } } },
    });
    expect(managed.length).toBe(3);

    const counted = await call(governanceRoute.GET, "GET", `/api/connections/${id}/governance`, { params: { id }, cookie: analyst });
    expect(counted.status).toBe(200);
    expect(await counted.json()).toEqual({ managedAssignments: 3 });

    // Analysts may not archive; a malformed flag is a 422 naming it; nothing was removed.
    expect((await call(connectionRoute.DELETE, "DELETE", `/api/connections/${id}`, { params: { id }, cookie: analyst })).status).toBe(403);
    const bad = await call(connectionRoute.DELETE, "DELETE", `/api/connections/${id}`, {
      params: { id },
      cookie: admin,
      query: { removeGovernance: "maybe" },
    });
    expect(bad.status).toBe(422);
    expect(await db().governanceAssignment.count()).toBe(3);

    const res = await call(connectionRoute.DELETE, "DELETE", `/api/connections/${id}`, { params: { id }, cookie: admin });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { archivedAt: string | null; governanceRemoval: { runId: string; total: number } };
    expect(body.archivedAt).not.toBeNull();
    // The request only queues the work: the run holds the total, nothing is removed yet.
    expect(body.governanceRemoval).toMatchObject({ total: 3 });
    const queued = await db().syncRun.findUniqueOrThrow({ where: { id: body.governanceRemoval.runId } });
    expect(queued).toMatchObject({ status: "queued", connectionId: id, progressDone: 0, progressTotal: 3 });
    expect(queued.jobId).not.toBeNull();
    expect(await db().governanceAssignment.count()).toBe(3);
    const requested = await db().auditLog.findFirstOrThrow({ where: { action: "governance.remove.request", targetId: id } });
    expect(requested.after).toMatchObject({ runId: queued.id, total: 3 });

    // The job (as the worker runs it): removes them, one event and one step of progress each.
    await runGovernanceCleanup({ runId: queued.id });
    const defender = suite.defender;
    for (const g of managed) expect(await defender.assignmentOf(g.finding.armId)).toBeNull();
    expect(await db().governanceAssignment.count()).toBe(0);
    const run = await db().syncRun.findUniqueOrThrow({ where: { id: queued.id } });
    expect(run).toMatchObject({
      status: "succeeded",
      connectionId: id,
      phase: "governance-cleanup",
      progressDone: 3,
      progressTotal: 3,
      counts: { governance: { removed: 3, failed: 0 } },
    });
    const events = await db().syncEvent.findMany({ where: { runId: run.id } });
    expect(events.map((e) => [e.action, e.entityType])).toEqual([
      ["removed", "governance"],
      ["removed", "governance"],
      ["removed", "governance"],
    ]);
    const audited = await db().auditLog.findFirstOrThrow({ where: { action: "governance.remove", targetId: id } });
    expect(audited.after).toMatchObject({ runId: run.id, removed: 3, failed: 0 });
    // The job run again (a redelivered job) does nothing: the run is finished.
    expect(await runGovernanceCleanup({ runId: queued.id })).toBeNull();
    expect(await db().syncEvent.count({ where: { runId: run.id } })).toBe(3);

    // Archiving again removes nothing more and starts no run.
    const again = await call(connectionRoute.DELETE, "DELETE", `/api/connections/${id}`, { params: { id }, cookie: admin });
    expect(((await again.json()) as { governanceRemoval: unknown }).governanceRemoval).toBeNull();
  }, 60_000);
});

describe("defenderTicketDisplay", () => {
  test("INC0010001 and PRB0010001 both show as 10001 in Defender; the note says which ticket the link opens", () => {
    expect(defenderTicketDisplay("INC0010001")).toEqual({
      ticketNumber: 10001,
      note: "Defender shows ticket 10001; its link opens INC0010001.",
    });
    expect(defenderTicketDisplay("PRB0010001").ticketNumber).toBe(10001);
    expect(governanceTicketLink("https://contoso.service-now.com/nav_to.do?uri=x", "problem", "PRB0010001")).toBe(
      "https://contoso.service-now.com/nav_to.do?uri=problem.do%3Fsysparm_query%3Dnumber%3DPRB0010001",
    );
  });
});
