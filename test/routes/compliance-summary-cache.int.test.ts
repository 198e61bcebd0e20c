// The compliance summary's per-process cache (lib/compliance/summary.ts): a summary is served again
// while the data it was computed from is unchanged, and computed again on the next request after any
// write that moves a number — a ticket created or resolved, ingestion's summary refresh, a secure
// score — never later. Requests arriving together for a summary being computed share one computation.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type TComplianceSummary } from "@/lib/schemas/compliance";
import { refreshRecommendationSummaries } from "@/lib/recommendations/summary-sql";
import { call, configureTestEnv, signedInUser } from "@/test/app";
import { type BoundTestDatabase, useTestDatabase } from "@/test/db";
import * as summaryRoute from "@/app/api/compliance/summary/route";
import { complianceDataVersion } from "@/lib/compliance/version-sql";
import { insertConnections, insertRecommendations, insertTenant } from "@/lib/findings/list-testing-sql";

let database: BoundTestDatabase;
let cookie: string;
let tenantId: string;
let connectionId: string;
let serial = 0;

async function summary(): Promise<TComplianceSummary> {
  const res = await call(summaryRoute.GET, "GET", "/api/compliance/summary", { cookie });
  expect(res.status).toBe(200);
  return (await res.json()) as TComplianceSummary;
}

type Db = Pick<BoundTestDatabase["pool"], "query">;

async function insertFinding(db: Db = database.pool): Promise<string> {
  const i = serial++;
  return (
    await db.query<{ id: string }>(
      `INSERT INTO "Finding" ("armId", "azureTenantId", "subscriptionId", "resourceId", "resourceType", "resourceName", "recommendationKey", "severity", "status", "updatedAt")
       VALUES ('/subscriptions/s/providers/x/cache-' || $2, $1, 'sub', '/subscriptions/s/providers/x/res-cache-' || $2, 'microsoft.test/things', 'res-cache', 'rec-cache', 'High', 'Unhealthy', now())
       RETURNING "id"`,
      [tenantId, i],
    )
  ).rows[0]!.id;
}

/** A ticket on a new finding (the summary counts tickets actively linked to findings). */
async function insertTicket(state: string, dueDate: Date | null, db: Db = database.pool): Promise<string> {
  const i = serial++;
  const findingId = await insertFinding(db);
  const ticketId = (
    await db.query<{ id: string }>(
      `INSERT INTO "Ticket" ("connectionId", "table", "module", "sysId", "number", "rawState", "state", "shortDescription", "url", "createdByType", "dueDate", "updatedAt")
       VALUES ($1, 'incident', 'itsm', 'sys-cache-' || $2, 'INCC' || $2, '2', $3::"TicketState", 'x', 'https://example.service-now.com/x', 'system', $4, now()) RETURNING "id"`,
      [connectionId, i, state, dueDate],
    )
  ).rows[0]!.id;
  await db.query(
    `INSERT INTO "TicketLink" ("ticketId", "findingId", "connectionId", "activeConnectionId", "module", "linkedByType") VALUES ($1, $2, $3, $3, 'itsm', 'system')`,
    [ticketId, findingId, connectionId],
  );
  return ticketId;
}

beforeAll(async () => {
  database = await useTestDatabase();
  configureTestEnv(database.url);
  cookie = (await signedInUser("MANAGER")).cookie;
  tenantId = await insertTenant(database.pool, "Cache", "c");
  await insertRecommendations(database.pool, [{ key: "rec-cache", name: "Cached" }]);
  [connectionId] = (await insertConnections(database.pool, 1)) as [string];
}, 120_000);

afterAll(async () => {
  await database?.drop();
});

describe("compliance summary cache", () => {
  test("served again while nothing changed; computed again after each write that moves a number", async () => {
    const first = await summary();
    // Nothing written: the same computed summary.
    expect((await summary()).generatedAt).toBe(first.generatedAt);

    // A ticket created (open, past due): open and overdue move at once.
    const t = await insertTicket("open", new Date(Date.now() - 86_400_000));
    const created = await summary();
    expect(created.generatedAt).not.toBe(first.generatedAt);
    expect(created.tickets.open).toBe(first.tickets.open + 1);
    expect(created.tickets.overdue).toBe(first.tickets.overdue + 1);
    expect((await summary()).generatedAt).toBe(created.generatedAt);

    // The ticket resolved (an update, as the sync writes it).
    await database.pool.query(`UPDATE "Ticket" SET "state" = 'resolved', "resolvedAt" = now(), "updatedAt" = now() WHERE "id" = $1`, [t]);
    const resolved = await summary();
    expect(resolved.tickets.open).toBe(first.tickets.open);
    expect(resolved.tickets.overdue).toBe(first.tickets.overdue);

    // Ingestion: new unhealthy findings, then the summary refresh an ingestion run ends with.
    await insertFinding();
    expect((await summary()).generatedAt).toBe(resolved.generatedAt);
    await refreshRecommendationSummaries();
    const high = (
      await database.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "Finding" WHERE "status" = 'Unhealthy' AND "severity" = 'High'`,
      )
    ).rows[0]!.n;
    expect(resolved.findings.high).not.toBe(high);
    const ingested = await summary();
    expect(ingested.findings.high).toBe(high);
  });

  test("a summary computed while a writer has not committed is not served after its commit", async () => {
    // The writer moves the data version before it commits (a sequence); a summary computed in between
    // lacks its rows under the new number, so it must not be kept (lib/compliance/version-sql.ts). A
    // secure score: a write that marks no summary dirty, so nothing else moves the version after it.
    const before = await summary();
    const writer = await database.pool.connect();
    try {
      await writer.query("BEGIN");
      await writer.query(
        `INSERT INTO "SecureScore" ("subscriptionId", "displayName", "current", "max", "percentage") VALUES ('sub-cache', 'Cache', 3, 10, 0.3)`,
      );
      const during = await summary();
      expect(during.secureScore).toEqual(before.secureScore);
      await writer.query("COMMIT");
    } finally {
      writer.release();
    }
    const after = await summary();
    expect(after.secureScore?.max).toBe((before.secureScore?.max ?? 0) + 10);
    expect((await summary()).generatedAt).toBe(after.generatedAt); // settled again: cached
  });

  test("readers never see each other as writers", async () => {
    // A reader holding the lock it tries (a reader in the middle of its statement, held open here).
    const reader = await database.pool.connect();
    const writer = await database.pool.connect();
    try {
      await reader.query("BEGIN");
      const held = await complianceDataVersion(reader);
      expect(held.settled).toBe(true);
      expect(await complianceDataVersion()).toEqual(held);
      await reader.query("ROLLBACK");

      // A writer that has not committed is still seen, through the same second look.
      await writer.query("BEGIN");
      await writer.query(
        `INSERT INTO "SecureScore" ("subscriptionId", "displayName", "current", "max", "percentage") VALUES ('sub-cache-2', 'Cache 2', 1, 10, 0.1)`,
      );
      expect((await complianceDataVersion()).settled).toBe(false);
      await writer.query("COMMIT");
      const after = await complianceDataVersion();
      expect(after.settled).toBe(true);
      expect(after.version).not.toBe(held.version);
    } finally {
      await reader.query("ROLLBACK");
      await writer.query("ROLLBACK");
      reader.release();
      writer.release();
    }
  });

  test("requests arriving together while the data changed share one computation", async () => {
    // Several rounds: requests overlap by chance, and one round rarely shows two readers meeting.
    for (let round = 0; round < 10; round++) {
      await insertTicket("open", null);
      const answers = await Promise.all(Array.from({ length: 8 }, () => summary()));
      expect(new Set(answers.map((a) => a.generatedAt)).size).toBe(1);
      expect(new Set(answers.map((a) => a.tickets.open)).size).toBe(1);
    }
  });
});
