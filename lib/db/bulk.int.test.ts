import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bulkUpsert, type BulkUpsertOptions } from "@/lib/db/bulk";
import { useTestDatabase, type BoundTestDatabase } from "@/test/db";

type RecRow = { key: string; displayName: string; severity: "High" | "Medium" | "Low"; categories: string[] | null };
type FindingRow = {
  armId: string;
  tenantId: string;
  status: "Healthy" | "Unhealthy" | "NotApplicable";
  resourceGroup: string | null;
  tags: Record<string, string>;
  changedAt: Date;
};

const recommendations: BulkUpsertOptions<RecRow> = {
  table: "Recommendation",
  columns: {
    key: { type: "text", value: (r) => r.key },
    displayName: { type: "text", value: (r) => r.displayName },
    severity: { type: { enum: "Severity" }, value: (r) => r.severity },
    categories: { type: "text[]", value: (r) => r.categories },
    threats: { type: "text[]", value: () => [] },
  },
  conflict: ["key"],
  set: { updatedAt: "now()" },
  onlyIfChanged: true,
};

const findings: BulkUpsertOptions<FindingRow> = {
  table: "Finding",
  columns: {
    armId: { type: "text", value: (r) => r.armId },
    azureTenantId: { type: "uuid", value: (r) => r.tenantId },
    subscriptionId: { type: "text", value: () => "sub-1" },
    resourceGroup: { type: "text", value: (r) => r.resourceGroup },
    resourceId: { type: "text", value: (r) => r.armId.split("/providers/Microsoft.Security")[0] },
    resourceType: { type: "text", value: () => "Microsoft.Compute/virtualMachines" },
    resourceName: { type: "text", value: (r) => r.armId.slice(-6) },
    recommendationKey: { type: "text", value: () => "rec-a" },
    severity: { type: { enum: "Severity" }, value: () => "High" },
    status: { type: { enum: "FindingStatus" }, value: (r) => r.status },
    tags: { type: "jsonb", value: (r) => r.tags },
    statusChangedAt: { type: "timestamptz", value: (r) => r.changedAt },
  },
  conflict: ["armId"],
  update: ["status", "resourceGroup", "tags", "statusChangedAt"],
  set: { updatedAt: "now()", lastSeenAt: "now()" },
  onlyIfChanged: true,
};

let database: BoundTestDatabase;
let tenantId: string;

const finding = (i: number, overrides: Partial<FindingRow> = {}): FindingRow => ({
  armId: `/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm${String(i).padStart(6, "0")}/providers/Microsoft.Security/assessments/rec-a`,
  tenantId,
  status: "Unhealthy",
  resourceGroup: i % 2 === 0 ? "rg-even" : null,
  tags: { env: i % 3 === 0 ? "prod" : "dev" },
  changedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 60)),
  ...overrides,
});

beforeAll(async () => {
  database = await useTestDatabase();
  tenantId = (
    await database.db.azureTenant.create({
      data: { name: "t", tenantId: "tid", clientId: "c", clientSecretEnc: "x", authorityHost: "https://h", armEndpoint: "https://a" },
    })
  ).id;
});

afterAll(async () => {
  await database.drop();
});

describe("bulkUpsert", () => {
  test("inserts rows with enum, array, JSON and timestamp columns that Prisma reads back intact", async () => {
    const result = await bulkUpsert(
      database.pool,
      [
        { key: "rec-a", displayName: "Enable MFA", severity: "High", categories: ["IdentityAndAccess", "Compute"] },
        { key: "rec-b", displayName: "Encrypt disks", severity: "Low", categories: [] },
      ],
      recommendations,
    );
    expect(result).toEqual({ inserted: 2, updated: 0, unchanged: 0 });

    await bulkUpsert(database.pool, [finding(1), finding(2)], findings);
    const rec = await database.db.recommendation.findUniqueOrThrow({ where: { key: "rec-a" } });
    expect(rec).toMatchObject({ severity: "High", categories: ["IdentityAndAccess", "Compute"], threats: [], description: "" });
    const row = await database.db.finding.findUniqueOrThrow({ where: { armId: finding(2).armId } });
    expect(row).toMatchObject({
      status: "Unhealthy",
      resourceGroup: "rg-even",
      tags: { env: "dev" },
      statusChangedAt: finding(2).changedAt,
    });
    expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("updates only rows that changed and counts inserted, updated and unchanged rows", async () => {
    await bulkUpsert(
      database.pool,
      Array.from({ length: 10 }, (_, i) => finding(100 + i)),
      findings,
    );
    const before = await database.db.finding.findUniqueOrThrow({ where: { armId: finding(101).armId } });
    const untouchedBefore = await database.db.finding.findUniqueOrThrow({ where: { armId: finding(105).armId } });

    const next = Array.from({ length: 12 }, (_, i) => finding(100 + i, i < 4 ? { status: "Healthy" } : {}));
    const result = await bulkUpsert(database.pool, next, findings);

    expect(result).toEqual({ inserted: 2, updated: 4, unchanged: 6 });
    const healed = await database.db.finding.findUniqueOrThrow({ where: { armId: finding(101).armId } });
    expect(healed.status).toBe("Healthy");
    expect(healed.id).toBe(before.id);
    expect(healed.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    const untouched = await database.db.finding.findUniqueOrThrow({ where: { armId: finding(105).armId } });
    expect(untouched.updatedAt).toEqual(untouchedBefore.updatedAt);
  });

  test("collapses rows that repeat a conflict key (last one wins)", async () => {
    const result = await bulkUpsert(database.pool, [finding(200), finding(200, { status: "NotApplicable" })], findings);
    expect(result.inserted).toBe(1);
    expect((await database.db.finding.findUniqueOrThrow({ where: { armId: finding(200).armId } })).status).toBe("NotApplicable");
  });

  test("leaves existing rows alone with onConflict: nothing", async () => {
    await bulkUpsert(database.pool, [finding(300)], findings);
    const result = await bulkUpsert(database.pool, [finding(300, { status: "Healthy" }), finding(301)], {
      ...findings,
      onConflict: "nothing",
    });
    expect(result).toEqual({ inserted: 1, updated: 0, unchanged: 1 });
    expect((await database.db.finding.findUniqueOrThrow({ where: { armId: finding(300).armId } })).status).toBe("Unhealthy");
  });

  test("writes all batches or none when a later batch fails", async () => {
    const rows = Array.from({ length: 25 }, (_, i) => finding(400 + i));
    // The last row points at a tenant that does not exist: its batch violates the foreign key.
    rows[24] = finding(424, { tenantId: "00000000-0000-0000-0000-000000000000" });

    await expect(bulkUpsert(database.pool, rows, { ...findings, batchSize: 10 })).rejects.toThrow(/foreign key/);
    expect(await database.db.finding.count({ where: { armId: { in: rows.map((r) => r.armId) } } })).toBe(0);
  });

  test("runs inside the caller's transaction when given a client", async () => {
    const client = await database.pool.connect();
    try {
      await client.query("BEGIN");
      await bulkUpsert(client, [finding(500)], findings);
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
    expect(await database.db.finding.count({ where: { armId: finding(500).armId } })).toBe(0);
  });

  test("returns zero counts for no rows without querying", async () => {
    expect(await bulkUpsert(database.pool, [], findings)).toEqual({ inserted: 0, updated: 0, unchanged: 0 });
  });
});
