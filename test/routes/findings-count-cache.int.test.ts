// The findings list's count cache (lib/findings/count.ts): a filter's count is served again while the
// data it was counted from is unchanged, and counted again on the next request after any write to a
// table the filters read — never later; an overdue count is counted again once a due date passes, with
// no write at all; a count made while a writer had not committed is not kept. Every page asks for one
// finding (pageSize=1), so the total the page proves by itself (its row and the next one: 2) never
// hides a stale count of 3 or more.
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
let serial = 0;

type Db = Pick<BoundTestDatabase["pool"], "query">;

async function insertFindings(n: number, recommendationKey: string, db: Db = database.pool): Promise<string[]> {
  const first = serial;
  serial += n;
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO "Finding" ("armId", "azureTenantId", "subscriptionId", "resourceId", "resourceType", "resourceName", "recommendationKey", "severity", "status", "updatedAt")
     SELECT '/subscriptions/s/providers/x/count-' || i, $1, 'sub', '/subscriptions/s/providers/x/res-count-' || i, 'microsoft.test/things', 'res-count-' || i, $2, 'High', 'Unhealthy', now()
     FROM generate_series($3::int, $4::int) i RETURNING "id"`,
    [tenantId, recommendationKey, first, first + n - 1],
  );
  return rows.map((r) => r.id);
}

async function total(query: Record<string, string>): Promise<number> {
  const res = await call(findingsRoute.GET, "GET", "/api/findings", { query: { ...query, pageSize: "1" }, cookie });
  expect(res.status).toBe(200);
  const page = (await res.json()) as TCursorPage<TFindingDto>;
  expect(page.totalIsLowerBound).toBe(false);
  return page.total;
}

/** The true count, straight from the table. */
async function counted(recommendationKey: string): Promise<number> {
  const { rows } = await database.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "Finding" WHERE "recommendationKey" = $1 AND "removedAt" IS NULL`,
    [recommendationKey],
  );
  return rows[0]!.n;
}

/** Writes a finding without moving the data version (its trigger disabled for that statement). */
async function insertUnannounced(recommendationKey: string): Promise<void> {
  const client = await database.pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(`ALTER TABLE "Finding" DISABLE TRIGGER "posturedesk_findings_version"`);
    await insertFindings(1, recommendationKey, client);
    await client.query(`ALTER TABLE "Finding" ENABLE TRIGGER "posturedesk_findings_version"`);
    await client.query("COMMIT");
  } finally {
    client.release();
  }
}

async function governance(findingId: string, dueAt: Date): Promise<void> {
  await database.pool.query(
    `INSERT INTO "GovernanceAssignment" ("assignmentKey", "findingId", "owner", "remediationDueDate", "isManaged", "updatedAt")
     VALUES ('count', $1, 'owner@example.com', $2, true, now())
     ON CONFLICT ("findingId", "assignmentKey") DO UPDATE SET "remediationDueDate" = EXCLUDED."remediationDueDate"`,
    [findingId, dueAt],
  );
}

beforeAll(async () => {
  database = await useTestDatabase();
  configureTestEnv(database.url);
  cookie = (await signedInUser("MANAGER")).cookie;
  tenantId = await insertTenant(database.pool, "Count", "e");
  await insertRecommendations(database.pool, [
    { key: "rec-count", name: "Counted" },
    { key: "rec-link", name: "Linked" },
    { key: "rec-due", name: "Due" },
    { key: "rec-open", name: "Open writer" },
  ]);
  [connectionId] = (await insertConnections(database.pool, 1)) as [string];
}, 120_000);

afterAll(async () => {
  await database?.drop();
});

describe("findings count cache", () => {
  test("served again while nothing changed; counted again after each write the filters read", async () => {
    const ids = await insertFindings(4, "rec-count");
    const filter = { recommendationKey: "rec-count", status: "Unhealthy" };
    expect(await total(filter)).toBe(4);

    // A finding written without moving the version: the count is the one already made (this is what
    // shows the cache is used at all), for every page and sort of the same filters.
    await insertUnannounced("rec-count");
    expect(await counted("rec-count")).toBe(5);
    expect(await total(filter)).toBe(4);
    expect(await total({ ...filter, sort: "-changed", page: "2" })).toBe(4);
    // Other filters are counted on their own.
    expect(await total({ recommendationKey: "rec-count" })).toBe(5);

    // A finding's status changed: counted again at once.
    await database.pool.query(`UPDATE "Finding" SET "status" = 'Healthy' WHERE "id" = $1`, [ids[0]]);
    expect(await total(filter)).toBe(4);
    expect(await total({ recommendationKey: "rec-count", status: "Healthy" })).toBe(1);

    // The recommendation's categories (the category filter reads them).
    const category = { recommendationKey: "rec-count", category: "Networking" };
    expect(await total(category)).toBe(0);
    await database.pool.query(`UPDATE "Recommendation" SET "categories" = ARRAY['Networking'] WHERE "key" = 'rec-count'`);
    expect(await total(category)).toBe(5);

    // The tenant deleted: its findings leave the list.
    await database.pool.query(`UPDATE "AzureTenant" SET "deletedAt" = now() WHERE "id" = $1`, [tenantId]);
    expect(await total(filter)).toBe(0);
    await database.pool.query(`UPDATE "AzureTenant" SET "deletedAt" = NULL WHERE "id" = $1`, [tenantId]);
    expect(await total(filter)).toBe(4);
  });

  test("a ticket linked moves the hasTicket counts", async () => {
    const ids = await insertFindings(4, "rec-link");
    const without = { recommendationKey: "rec-link", hasTicket: "false" };
    expect(await total(without)).toBe(4);
    const ticketId = (
      await database.pool.query<{ id: string }>(
        `INSERT INTO "Ticket" ("connectionId", "table", "module", "sysId", "number", "rawState", "state", "shortDescription", "url", "createdByType", "updatedAt")
         VALUES ($1, 'incident', 'itsm', 'sys-count', 'INCCOUNT', '1', 'open', 'x', 'https://example.service-now.com/x', 'system', now()) RETURNING "id"`,
        [connectionId],
      )
    ).rows[0]!.id;
    await database.pool.query(
      `INSERT INTO "TicketLink" ("ticketId", "findingId", "connectionId", "activeConnectionId", "module", "linkedByType") VALUES ($1, $2, $3, $3, 'itsm', 'system')`,
      [ticketId, ids[0], connectionId],
    );
    expect(await total(without)).toBe(3);
    expect(await total({ recommendationKey: "rec-link", hasTicket: "true" })).toBe(1);
  });

  test("an overdue count is counted again when a due date passes, with no write", async () => {
    const ids = await insertFindings(4, "rec-due");
    const dayAgo = new Date(Date.now() - 86_400_000);
    for (const id of ids.slice(0, 3)) await governance(id, dayAgo);
    // Due in a moment: not overdue yet.
    const soon = new Date(Date.now() + 3_000);
    await governance(ids[3]!, soon);
    const overdue = { recommendationKey: "rec-due", overdue: "true" };
    const notOverdue = { recommendationKey: "rec-due", overdue: "false" };
    expect(await total(overdue)).toBe(3);
    expect(await total(notOverdue)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, soon.getTime() + 500 - Date.now()));
    expect(await total(overdue)).toBe(4);
    expect(await total(notOverdue)).toBe(0);
    // A due date moved into the future (a write to FindingDue): counted again.
    await governance(ids[3]!, new Date(Date.now() + 86_400_000));
    expect(await total(overdue)).toBe(3);
  });

  test("a count made while a writer had not committed is not kept", async () => {
    await insertFindings(3, "rec-open");
    const filter = { recommendationKey: "rec-open" };
    expect(await total(filter)).toBe(3);
    const writer = await database.pool.connect();
    try {
      await writer.query("BEGIN");
      await insertFindings(2, "rec-open", writer); // moves the version, not committed
      expect(await total(filter)).toBe(3); // counted without the writer's rows, under its new number
      await writer.query("COMMIT");
    } finally {
      writer.release();
    }
    // The version did not move again at the commit: only an unkept count makes this 5.
    expect(await total(filter)).toBe(5);
  });

  test("every table the findings filters read moves the version", async () => {
    const { rows } = await database.pool.query<{ table: string }>(
      `SELECT c."relname" AS "table" FROM pg_trigger t JOIN pg_class c ON c."oid" = t."tgrelid"
       WHERE t."tgname" = 'posturedesk_findings_version' ORDER BY 1`,
    );
    expect(rows.map((r) => r.table)).toEqual(
      ["AzureTenant", "CcResult", "Finding", "FindingDue", "Recommendation", "ServiceNowConnection", "SubAssessment", "TicketLink"].sort(),
    );
  });
});
