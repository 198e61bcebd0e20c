// "FindingDue" (the materialised due date behind the findings list's overdue filter and due sorts,
// migration finding_due) stays equal to its definition — the earliest due date of the finding's open
// current tickets, else its earliest governance remediation date — through every write that can move it:
// links added, superseded and deleted, a ticket's due date and state, governance assignments added,
// changed and removed, several findings in one statement. And GET /api/findings?overdue=… follows it.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type TCursorPage } from "@/lib/schemas/common";
import { type TFindingDto } from "@/lib/schemas/findings";
import { call, configureTestEnv, signedInUser } from "@/test/app";
import { type BoundTestDatabase, useTestDatabase } from "@/test/db";
import * as findingsRoute from "@/app/api/findings/route";
import { insertConnections, insertRecommendations, insertTenant } from "@/lib/findings/list-testing-sql";

let database: BoundTestDatabase;
let cookie: string;
let tenantId: string;
let connectionId: string;
/** A second connection: a finding has one current ticket per connection and module. */
let otherConnectionId: string;
let serial = 0;

const DAY = 86_400_000;
const daysFromNow = (n: number) => new Date(Math.floor(Date.now() / DAY + n) * DAY);

/** The definition, computed from scratch: findings whose stored dueAt differs from it. */
async function stale(): Promise<Array<{ id: string; dueAt: Date | null; due: Date | null }>> {
  const { rows } = await database.pool.query<{ id: string; dueAt: Date | null; due: Date | null }>(
    `SELECT * FROM (
       SELECT f."id", (SELECT d."dueAt" FROM "FindingDue" d WHERE d."findingId" = f."id") AS "dueAt", COALESCE(
         (SELECT min(t."dueDate") FROM "TicketLink" l JOIN "Ticket" t ON t."id" = l."ticketId"
           WHERE l."findingId" = f."id" AND l."activeConnectionId" IS NOT NULL AND t."state" = 'open'),
         (SELECT min(g."remediationDueDate") FROM "GovernanceAssignment" g WHERE g."findingId" = f."id")) AS due
       FROM "Finding" f) x
     WHERE x."dueAt" IS DISTINCT FROM x.due`,
  );
  return rows;
}

async function dueOf(id: string): Promise<Date | null> {
  const { rows } = await database.pool.query<{ dueAt: Date }>(`SELECT "dueAt" FROM "FindingDue" WHERE "findingId" = $1`, [id]);
  return rows[0]?.dueAt ?? null;
}

async function insertFinding(status = "Unhealthy"): Promise<string> {
  const i = serial++;
  return (
    await database.pool.query<{ id: string }>(
      `INSERT INTO "Finding" ("armId", "azureTenantId", "subscriptionId", "resourceId", "resourceType", "resourceName", "recommendationKey", "severity", "status", "updatedAt")
       VALUES ('/subscriptions/s/providers/x/due-' || $2, $1, 'sub', '/subscriptions/s/providers/x/res-' || $2, 'microsoft.test/things', 'res-' || $2, 'rec-due', 'High', $3::"FindingStatus", now())
       RETURNING "id"`,
      [tenantId, i, status],
    )
  ).rows[0]!.id;
}

async function insertTicket(dueDate: Date | null, state = "open", connection = connectionId): Promise<string> {
  const i = serial++;
  return (
    await database.pool.query<{ id: string }>(
      `INSERT INTO "Ticket" ("connectionId", "table", "module", "sysId", "number", "rawState", "state", "shortDescription", "url", "createdByType", "dueDate", "updatedAt")
       VALUES ($1, 'incident', 'itsm', 'sys-due-' || $2, 'INCD' || $2, '2', $3::"TicketState", 'x', 'https://example.service-now.com/x', 'system', $4, now()) RETURNING "id"`,
      [connection, i, state, dueDate],
    )
  ).rows[0]!.id;
}

async function link(ticketId: string, findingIds: string[], connection = connectionId): Promise<void> {
  await database.pool.query(
    `INSERT INTO "TicketLink" ("ticketId", "findingId", "connectionId", "activeConnectionId", "module", "linkedByType")
     SELECT $1, f, $2, $2, 'itsm', 'system' FROM unnest($3::uuid[]) f`,
    [ticketId, connection, findingIds],
  );
}

async function governance(findingId: string, key: string, date: Date | null): Promise<void> {
  await database.pool.query(
    `INSERT INTO "GovernanceAssignment" ("assignmentKey", "findingId", "owner", "remediationDueDate", "isManaged", "updatedAt")
     VALUES ($1, $2, 'owner@example.com', $3, true, now())
     ON CONFLICT ("findingId", "assignmentKey") DO UPDATE SET "remediationDueDate" = EXCLUDED."remediationDueDate"`,
    [key, findingId, date],
  );
}

async function overdueIds(overdue: boolean): Promise<string[]> {
  const res = await call(findingsRoute.GET, "GET", "/api/findings", {
    query: { overdue: String(overdue), sort: "due", pageSize: "500", recommendationKey: "rec-due" },
    cookie,
  });
  expect(res.status).toBe(200);
  const page = (await res.json()) as TCursorPage<TFindingDto>;
  // The count (overdue=true counts from the due dates, not from the findings) agrees with the rows.
  expect([page.total, page.totalIsLowerBound]).toEqual([page.items.length, false]);
  return page.items.map((f) => f.id);
}

beforeAll(async () => {
  database = await useTestDatabase();
  configureTestEnv(database.url);
  cookie = (await signedInUser("MANAGER")).cookie;
  tenantId = await insertTenant(database.pool, "Due", "d");
  await insertRecommendations(database.pool, [{ key: "rec-due", name: "Due dates" }]);
  [connectionId, otherConnectionId] = (await insertConnections(database.pool, 2)) as [string, string];
}, 120_000);

afterAll(async () => {
  await database?.drop();
});

describe("FindingDue", () => {
  test("follows governance assignments, links and ticket changes", async () => {
    const f = await insertFinding();
    expect(await dueOf(f)).toBeNull();

    // Governance only: its earliest date.
    await governance(f, "a", daysFromNow(5));
    await governance(f, "b", daysFromNow(-2));
    expect(await dueOf(f)).toEqual(daysFromNow(-2));
    await governance(f, "b", daysFromNow(3)); // updated
    expect(await dueOf(f)).toEqual(daysFromNow(3));

    // An open current ticket with a due date wins over governance, even a later one; the earliest of two.
    const t1 = await insertTicket(daysFromNow(10));
    await link(t1, [f]);
    expect(await dueOf(f)).toEqual(daysFromNow(10));
    const t2 = await insertTicket(daysFromNow(7), "open", otherConnectionId);
    await link(t2, [f], otherConnectionId);
    expect(await dueOf(f)).toEqual(daysFromNow(7));

    // The ticket's due date moves; then it is resolved (the other open ticket counts again).
    await database.pool.query(`UPDATE "Ticket" SET "dueDate" = $2 WHERE "id" = $1`, [t2, daysFromNow(-1)]);
    expect(await dueOf(f)).toEqual(daysFromNow(-1));
    await database.pool.query(`UPDATE "Ticket" SET "state" = 'resolved' WHERE "id" = $1`, [t2]);
    expect(await dueOf(f)).toEqual(daysFromNow(10));

    // The remaining link superseded (no longer current): governance again; deleted links change nothing more.
    await database.pool.query(`UPDATE "TicketLink" SET "activeConnectionId" = NULL, "unlinkedAt" = now() WHERE "ticketId" = $1`, [t1]);
    expect(await dueOf(f)).toEqual(daysFromNow(3));
    await database.pool.query(`DELETE FROM "TicketLink" WHERE "findingId" = $1`, [f]);
    expect(await dueOf(f)).toEqual(daysFromNow(3));

    // Governance removed: no due date.
    await database.pool.query(`DELETE FROM "GovernanceAssignment" WHERE "findingId" = $1`, [f]);
    expect(await dueOf(f)).toBeNull();
    expect(await stale()).toEqual([]);
  });

  test("set-based writes: one ticket on many findings, a link moved to another finding, an open ticket without a due date", async () => {
    const fs = await Promise.all(Array.from({ length: 6 }, () => insertFinding()));
    await Promise.all(fs.slice(0, 3).map((f, i) => governance(f, "g", daysFromNow(-10 + i))));
    const t = await insertTicket(daysFromNow(2));
    await link(t, fs.slice(2));
    expect(await stale()).toEqual([]);
    expect(await dueOf(fs[0]!)).toEqual(daysFromNow(-10));
    expect(await dueOf(fs[5]!)).toEqual(daysFromNow(2));

    // One statement moves the ticket's due date for all four findings.
    await database.pool.query(`UPDATE "Ticket" SET "dueDate" = NULL WHERE "id" = $1`, [t]);
    // An open ticket without a due date: governance counts (fs[2]), else none.
    expect(await dueOf(fs[2]!)).toEqual(daysFromNow(-8));
    expect(await dueOf(fs[5]!)).toBeNull();
    await database.pool.query(`UPDATE "Ticket" SET "dueDate" = $2 WHERE "id" = $1`, [t, daysFromNow(4)]);

    // A link re-pointed from one finding to another: both are recomputed.
    await database.pool.query(`UPDATE "TicketLink" SET "findingId" = $2 WHERE "ticketId" = $1 AND "findingId" = $3`, [t, fs[0], fs[5]]);
    expect(await dueOf(fs[5]!)).toBeNull();
    expect(await dueOf(fs[0]!)).toEqual(daysFromNow(4));

    // Several governance assignments deleted in one statement.
    await database.pool.query(`DELETE FROM "GovernanceAssignment" WHERE "findingId" = ANY($1::uuid[])`, [fs]);
    expect(await stale()).toEqual([]);
  });

  test("GET /api/findings?overdue= reads it: past due and unhealthy only; overdue=false keeps findings without a date", async () => {
    await database.pool.query(`DELETE FROM "TicketLink"`);
    await database.pool.query(`DELETE FROM "GovernanceAssignment"`);
    const late = await insertFinding();
    const lateHealthy = await insertFinding("Healthy");
    const notYet = await insertFinding();
    const lateTicketOnTime = await insertFinding(); // governance past, but an open ticket due later
    await governance(late, "g", daysFromNow(-3));
    await governance(lateHealthy, "g", daysFromNow(-3));
    await governance(notYet, "g", daysFromNow(3));
    await governance(lateTicketOnTime, "g", daysFromNow(-3));
    await link(await insertTicket(daysFromNow(6)), [lateTicketOnTime]);

    expect(await overdueIds(true)).toEqual([late]);
    const notOverdue = await overdueIds(false);
    expect(notOverdue).not.toContain(late);
    expect(notOverdue).toEqual(expect.arrayContaining([lateHealthy, notYet, lateTicketOnTime]));
    // Findings without any date (the earlier tests' findings) are not overdue either.
    const all = (await database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Finding"`)).rows[0]!.n;
    expect(notOverdue.length).toBe(all - 1);

    // The ticket resolved: governance is past, so the finding becomes overdue, first by due date.
    await database.pool.query(
      `UPDATE "Ticket" SET "state" = 'resolved' WHERE "id" IN (SELECT "ticketId" FROM "TicketLink" WHERE "findingId" = $1)`,
      [lateTicketOnTime],
    );
    expect((await overdueIds(true)).sort()).toEqual([late, lateTicketOnTime].sort());
    expect(await stale()).toEqual([]);
  });
});
