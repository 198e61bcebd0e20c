// Keyset paging of GET /api/findings through the route handler on a real PostgreSQL: every sort order
// returns every row exactly once while rows are inserted, updated and deleted between pages; `page`
// keeps working (past the end → the last page); the "more than N" count flag (LIST_EXACT_COUNT_LIMIT
// is 60 in this file); and malformed or foreign cursors are a 400 with a message.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type TCursorPage } from "@/lib/schemas/common";
import { FINDING_SORTS, type TFindingDto, type TFindingSort } from "@/lib/schemas/findings";
import { call, configureTestEnv, signedInUser } from "@/test/app";
import { type BoundTestDatabase, useTestDatabase } from "@/test/db";
import * as findingsRoute from "@/app/api/findings/route";
import { insertConnections, insertRecommendations, insertTenant } from "@/lib/findings/list-testing-sql";

let database: BoundTestDatabase;
let cookie: string;
let tenantId: string;
let serial = 0;
const LIMIT = 60;

type Answer = TCursorPage<TFindingDto> & { detail?: string; code?: string };

async function findings(query: Record<string, string | string[]>): Promise<{ status: number; body: Answer }> {
  const res = await call(findingsRoute.GET, "GET", "/api/findings", { query, cookie });
  return { status: res.status, body: (await res.json()) as Answer };
}

/**
 * `n` findings spread over every severity and status, with repeated resource names (ties broken by id),
 * NULL and equal status-change times, and open tickets / governance dates for the due-date sorts.
 */
async function insertFindings(n: number, tag: string): Promise<string[]> {
  const start = serial;
  serial += n;
  const { rows } = await database.pool.query<{ id: string }>(
    `INSERT INTO "Finding" ("armId", "azureTenantId", "subscriptionId", "resourceGroup", "resourceId", "resourceType", "resourceName", "recommendationKey",
       "severity", "status", "statusChangedAt", "firstEvaluationAt", "updatedAt")
     SELECT '/subscriptions/s/providers/x/' || $3 || '-' || i, $1, 'sub-' || (i % 3), 'rg-' || (i % 4), '/subscriptions/s/resourceGroups/rg/providers/x/res-' || (i % 17),
       'microsoft.test/things', 'res-' || (i % 17), 'rec-' || (i % 5),
       (ARRAY['High', 'Medium', 'Low'])[1 + i % 3]::"Severity",
       (ARRAY['Unhealthy', 'Healthy', 'NotApplicable', 'Unhealthy'])[1 + (i / 3) % 4]::"FindingStatus",
       CASE WHEN i % 7 = 0 THEN NULL ELSE timestamptz '2026-01-01' + ((i % 11) || ' hours')::interval END,
       timestamptz '2025-06-01' + ((i % 13) || ' days')::interval, now()
     FROM generate_series($2::int, $2::int + $4::int - 1) i
     RETURNING "id"`,
    [tenantId, start, tag, n],
  );
  const ids = rows.map((r) => r.id);
  // Due dates: every 4th finding an open ticket (some without a due date), every 5th a governance date.
  await database.pool.query(
    `INSERT INTO "GovernanceAssignment" ("assignmentKey", "findingId", "owner", "remediationDueDate", "isManaged", "updatedAt")
     SELECT 'g', f."id", 'owner@example.com', timestamptz '2026-02-01' + ((x.n % 6) || ' days')::interval, true, now()
     FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, n) JOIN "Finding" f ON f."id" = x.id WHERE x.n % 5 = 0`,
    [ids],
  );
  return ids;
}

beforeAll(async () => {
  database = await useTestDatabase();
  configureTestEnv(database.url, { LIST_EXACT_COUNT_LIMIT: String(LIMIT) });
  cookie = (await signedInUser("MANAGER")).cookie;
  tenantId = await insertTenant(database.pool, "Paging", "a");
  await insertRecommendations(
    database.pool,
    Array.from({ length: 5 }, (_, i) => ({ key: `rec-${i}`, name: `Recommendation ${i % 3}` })),
  );
  const [connectionId] = (await insertConnections(database.pool, 1)) as [string];
  const ids = await insertFindings(150, "a");
  {
    // Open tickets (with and without due dates) on every 4th finding, for the due-date sorts.
    for (const [n, id] of ids.entries()) {
      if (n % 4 !== 0) continue;
      const t = await database.pool.query<{ id: string }>(
        `INSERT INTO "Ticket" ("connectionId", "table", "module", "sysId", "number", "rawState", "state", "shortDescription", "url", "createdByType", "dueDate", "updatedAt")
         VALUES ($1, 'incident', 'itsm', $2, $3, '2', 'open', 'x', 'https://example.service-now.com/x', 'system', $4, now()) RETURNING "id"`,
        [connectionId, `sys${n}`, `INC${String(n).padStart(7, "0")}`, n % 8 === 0 ? null : new Date(Date.UTC(2026, 0, 10 + (n % 9)))],
      );
      await database.pool.query(
        `INSERT INTO "TicketLink" ("ticketId", "findingId", "connectionId", "activeConnectionId", "module", "linkedByType") VALUES ($1, $2, $3, $3, 'itsm', 'system')`,
        [t.rows[0]!.id, id, connectionId],
      );
    }
  }
}, 120_000);

afterAll(async () => {
  await database?.drop();
});

describe("keyset paging", () => {
  // Unfiltered, and the severity/status orders again with filters that take the sort-key path instead of
  // the (severity, status) partitions (lib/findings/list.ts, NARROWED).
  const cases: Array<[TFindingSort, Record<string, string>]> = [
    ...FINDING_SORTS.map((s) => [s, {}] as [TFindingSort, Record<string, string>]),
    ...(["-severity", "severity", "status", "-status"] as const).map((s) => [s, { q: "res-1" }] as [TFindingSort, Record<string, string>]),
    ["-severity", { subscriptionId: "sub-1,sub-2" }],
    // One resource group or one subscription walks the partitions of that column's own index.
    ["-severity", { resourceGroup: "RG-1" }],
    ["status", { subscriptionId: "sub-2" }],
    ["severity", { recommendationKey: "rec-3" }],
  ];
  test.each(cases)("sort %s %o: every row once while rows change between pages", async (sort, filters) => {
    const where = filters.q
      ? `AND "resourceName" ILIKE '%res-1%'`
      : filters.subscriptionId
        ? `AND "subscriptionId" = ANY('{${filters.subscriptionId}}')`
        : filters.resourceGroup
          ? `AND lower("resourceGroup") = '${filters.resourceGroup.toLowerCase()}'`
          : filters.recommendationKey
            ? `AND "recommendationKey" = '${filters.recommendationKey}'`
            : "";
    const before = new Set(
      (await database.pool.query<{ id: string }>(`SELECT "id" FROM "Finding" WHERE "removedAt" IS NULL ${where}`)).rows.map((r) => r.id),
    );
    const seen: string[] = [];
    const deleted = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    for (;;) {
      const { status, body } = await findings({ ...filters, sort, pageSize: "9", ...(cursor ? { cursor } : {}) });
      expect(status, body.detail).toBe(200);
      expect(body.page).toBe(pages + 1);
      seen.push(...body.items.map((f) => f.id));
      pages++;
      cursor = body.nextCursor;
      if (!cursor) break;
      // Between pages: a new finding, a changed one (not its sort keys), one seen and one not yet seen deleted.
      await insertFindings(1, `${sort}-${pages}`);
      await database.pool.query(`UPDATE "Finding" SET "statusDescription" = 'changed ' || $2, "lastSeenAt" = now() WHERE "id" = $1`, [
        seen.at(-1),
        pages,
      ]);
      const unseen = [...before].find((id) => !seen.includes(id) && !deleted.has(id));
      for (const id of [seen[0], unseen]) {
        if (!id || deleted.has(id)) continue;
        await database.pool.query(`DELETE FROM "TicketLink" WHERE "findingId" = $1`, [id]);
        await database.pool.query(`DELETE FROM "Finding" WHERE "id" = $1`, [id]);
        deleted.add(id);
      }
      expect(pages).toBeLessThan(100);
    }
    // No row twice; every row present from start to end exactly once.
    expect(new Set(seen).size).toBe(seen.length);
    const seenSet = new Set(seen);
    const missing = [...before].filter((id) => !deleted.has(id) && !seenSet.has(id));
    expect(missing).toEqual([]);
    expect(pages).toBeGreaterThan(Object.keys(filters).length ? 2 : 5);
  });

  test("the same pages by cursor and by page number when nothing changes", async () => {
    const first = await findings({ sort: "-severity", pageSize: "10" });
    const byCursor = await findings({ sort: "-severity", pageSize: "10", cursor: first.body.nextCursor! });
    const byPage = await findings({ sort: "-severity", pageSize: "10", page: "2" });
    expect(byCursor.body.page).toBe(2);
    expect(byCursor.body.items.map((f) => f.id)).toEqual(byPage.body.items.map((f) => f.id));
    expect(byCursor.body.nextCursor).toBe(byPage.body.nextCursor);
  });
});

describe("pages by number in the (severity, status) partition sorts", () => {
  // A page by number skips to its first row partition by partition (lib/findings/list-sql.ts, pageByNumber):
  // every page must be that slice of the order the cursors walk, across partition boundaries (page sizes
  // that end a page inside a partition and, with 1, exactly at its end), with filters, and past the end.
  const cases: Array<[TFindingSort, Record<string, string>, string]> = [
    ["-severity", {}, "7"],
    ["status", {}, "11"],
    ["severity", { status: "Unhealthy,NotApplicable" }, "5"],
    ["-status", { severity: "Low" }, "1"],
    ["-severity", { resourceGroup: "rg-3" }, "4"],
    ["status", { subscriptionId: "sub-0", status: "Unhealthy,Healthy" }, "3"],
  ];
  test.each(cases)("sort %s %o, page size %s: page n is rows (n-1)·size … n·size of the cursor walk", async (sort, filters, pageSize) => {
    const walk: string[] = [];
    for (let cursor: string | null = null, n = 0; ; n++) {
      const { body } = await findings({ ...filters, sort, pageSize: "100", ...(cursor ? { cursor } : {}) });
      walk.push(...body.items.map((f) => f.id));
      cursor = body.nextCursor;
      if (!cursor) break;
      expect(n).toBeLessThan(20);
    }
    const size = Number(pageSize);
    const pages = Math.ceil(walk.length / size);
    expect(pages).toBeGreaterThan(1);
    for (const page of size === 1 ? [2, 3, Math.floor(pages / 2), pages - 1, pages] : Array.from({ length: pages }, (_, i) => i + 1)) {
      const { status, body } = await findings({ ...filters, sort, pageSize, page: String(page) });
      expect(status, body.detail).toBe(200);
      expect(body.page).toBe(page);
      expect(body.items.map((f) => f.id)).toEqual(walk.slice((page - 1) * size, page * size));
      expect(body.nextCursor === null).toBe(page === pages);
      // Its cursor continues where the walk does.
      if (body.nextCursor) {
        const next = await findings({ ...filters, sort, pageSize, cursor: body.nextCursor });
        expect(next.body.items.map((f) => f.id)).toEqual(walk.slice(page * size, (page + 1) * size));
      }
    }
    const past = await findings({ ...filters, sort, pageSize, page: String(pages + 5) });
    expect(past.body.page).toBe(pages);
    expect(past.body.items.map((f) => f.id)).toEqual(walk.slice((pages - 1) * size));
  });
});

describe("resource group filter", () => {
  test("case-insensitive, exactly the group's findings (several groups, one in another case)", async () => {
    await database.pool.query(
      `UPDATE "Finding" SET "resourceGroup" = 'RG-2' WHERE "id" IN (SELECT "id" FROM "Finding" WHERE "resourceGroup" = 'rg-2' LIMIT 3)`,
    );
    const expected = (
      await database.pool.query<{ id: string }>(
        `SELECT "id" FROM "Finding" WHERE "removedAt" IS NULL AND lower("resourceGroup") IN ('rg-1', 'rg-2') ORDER BY "id"`,
      )
    ).rows.map((r) => r.id);
    expect(expected.length).toBeGreaterThan(3);
    const { status, body } = await findings({ resourceGroup: ["Rg-1", "rg-2"], pageSize: "500" });
    expect(status, body.detail).toBe(200);
    expect(body.items.map((f) => f.id).sort()).toEqual(expected);
  });

  test("one group, subscription or recommendation (its own index's partitions) in exactly the unfiltered list's order, in any case of the name", async () => {
    const walk = async (filters: Record<string, string>) => {
      const ids: string[] = [];
      for (let cursor: string | null = null, n = 0; ; n++) {
        const { status, body } = await findings({ ...filters, sort: "-severity", pageSize: "100", ...(cursor ? { cursor } : {}) });
        expect(status, body.detail).toBe(200);
        ids.push(...body.items.map((f) => f.id));
        cursor = body.nextCursor;
        if (!cursor) return ids;
        expect(n).toBeLessThan(20);
      }
    };
    const all = await walk({});
    const of = async (column: string, value: string) =>
      new Set(
        (await database.pool.query<{ id: string }>(`SELECT "id" FROM "Finding" WHERE lower("${column}") = lower($1)`, [value])).rows.map(
          (r) => r.id,
        ),
      );
    const group = await of("resourceGroup", "rg-2");
    expect(group.size).toBeGreaterThan(3);
    expect(await walk({ resourceGroup: "Rg-2" })).toEqual(all.filter((id) => group.has(id)));
    const subscription = await of("subscriptionId", "sub-1");
    expect(await walk({ subscriptionId: "sub-1" })).toEqual(all.filter((id) => subscription.has(id)));
    const recommendation = await of("recommendationKey", "rec-4");
    expect(await walk({ recommendationKey: "rec-4" })).toEqual(all.filter((id) => recommendation.has(id)));
    // A group no finding has: an empty first page, counted exactly.
    const none = await findings({ resourceGroup: "no-such-group", page: "3" });
    expect([none.status, none.body.items, none.body.total, none.body.totalIsLowerBound, none.body.page]).toEqual([200, [], 0, false, 1]);
  });
});

describe("counts", () => {
  test(`exact up to LIST_EXACT_COUNT_LIMIT (${LIMIT}), else a lower bound with the flag`, async () => {
    const all = Number(
      (await database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Finding" WHERE "removedAt" IS NULL`)).rows[0]!.n,
    );
    expect(all).toBeGreaterThan(LIMIT);
    const unfiltered = await findings({ pageSize: "10" });
    expect(unfiltered.body).toMatchObject({ total: LIMIT, totalIsLowerBound: true, page: 1 });
    const few = Number(
      (
        await database.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "Finding" WHERE "removedAt" IS NULL AND "recommendationKey" = 'rec-1' AND "severity" = 'High'`,
        )
      ).rows[0]!.n,
    );
    expect(few).toBeLessThanOrEqual(LIMIT);
    const filtered = await findings({ recommendationKey: "rec-1", severity: "High", pageSize: "10" });
    expect(filtered.body).toMatchObject({ total: few, totalIsLowerBound: false });
  });

  test("a page past the bound raises the lower bound to the rows it has proved", async () => {
    const deep = await findings({ pageSize: "50", page: "2" });
    expect(deep.body.totalIsLowerBound).toBe(true);
    expect(deep.body.total).toBeGreaterThanOrEqual(50 + deep.body.items.length - (deep.body.nextCursor ? 0 : 1));
  });

  test("a page by number that starts past the bound says what the bounded count would: more than N, raised to the rows it proves", async () => {
    // Rows 61–70 exist, so more than LIMIT (60) match; the list does not count them (lib/findings/list.ts).
    const { status, body } = await findings({ pageSize: "10", page: String(LIMIT / 10 + 1) });
    expect(status).toBe(200);
    expect(body.items).toHaveLength(10);
    expect(body.nextCursor).not.toBeNull();
    expect([body.total, body.totalIsLowerBound, body.page]).toEqual([LIMIT + 10, true, LIMIT / 10 + 1]);
  });

  test("a page past the end is the last page, counted or not", async () => {
    const exact = await findings({ recommendationKey: "rec-1", severity: "High", pageSize: "10", page: "999" });
    expect(exact.status).toBe(200);
    expect(exact.body.page).toBe(Math.max(1, Math.ceil(exact.body.total / 10)));
    expect(exact.body.items.length).toBeGreaterThan(0);
    expect(exact.body.nextCursor).toBeNull();
    const bounded = await findings({ pageSize: "10", page: "999" });
    const all = Number(
      (await database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Finding" WHERE "removedAt" IS NULL`)).rows[0]!.n,
    );
    expect(bounded.body).toMatchObject({ page: Math.ceil(all / 10), total: all, totalIsLowerBound: false, nextCursor: null });
  });
});

describe("bad cursors", () => {
  test.each([
    ["not base64url", "!!!"],
    ["not JSON", Buffer.from("hello").toString("base64url")],
    ["JSON of another shape", Buffer.from(JSON.stringify({ v: 1, q: "x", p: 2, k: [], id: "nope" })).toString("base64url")],
  ])("%s → 400 with a message", async (_, cursor) => {
    const { status, body } = await findings({ cursor });
    expect(status).toBe(400);
    expect(body.detail).toMatch(/Invalid cursor/);
  });

  test("a cursor made for another sort or other filters → 400", async () => {
    const { body } = await findings({ sort: "resource", pageSize: "5" });
    const otherSort = await findings({ sort: "-resource", cursor: body.nextCursor! });
    expect(otherSort.status).toBe(400);
    expect(otherSort.body.detail).toMatch(/other filters or another sort/);
    const otherFilter = await findings({ sort: "resource", status: "Healthy", cursor: body.nextCursor! });
    expect(otherFilter.status).toBe(400);
    // The page size may change between pages.
    const otherSize = await findings({ sort: "resource", pageSize: "7", cursor: body.nextCursor! });
    expect(otherSize.status).toBe(200);
    expect(otherSize.body.items).toHaveLength(7);
  });
});
