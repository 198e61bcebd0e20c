// Set-based bulk upsert (lib/db/bulk.ts) against Prisma's createMany, same rows, same run.
//
//   npx tsx --conditions=react-server bench/db-bulk.ts [ROWS=100000]
//
// Uses DATABASE_URL's server when set (in a scratch database it drops afterwards), else a
// throwaway embedded PostgreSQL in a temp directory. Prints figures; asserts nothing.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { bulkUpsert, type BulkUpsertOptions } from "@/lib/db/bulk";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { withScratchDatabase } from "@/lib/db/generate-migration";
import { migrate } from "@/lib/db/migrate";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { rawEnv } from "@/lib/env";

type Row = { armId: string; tenantId: string; status: "Healthy" | "Unhealthy"; changedAt: Date };

const columns = (): BulkUpsertOptions<Row>["columns"] => ({
  armId: { type: "text", value: (r) => r.armId },
  azureTenantId: { type: "uuid", value: (r) => r.tenantId },
  subscriptionId: { type: "text", value: () => "00000000-0000-0000-0000-00000000aaaa" },
  resourceGroup: { type: "text", value: () => "rg-bench" },
  resourceId: { type: "text", value: (r) => r.armId.split("/providers/Microsoft.Security")[0] },
  resourceType: { type: "text", value: () => "Microsoft.Compute/virtualMachines" },
  resourceName: { type: "text", value: (r) => r.armId.slice(-12) },
  recommendationKey: { type: "text", value: () => "bench-rec" },
  severity: { type: { enum: "Severity" }, value: () => "High" },
  status: { type: { enum: "FindingStatus" }, value: (r) => r.status },
  tags: { type: "jsonb", value: () => ({ env: "bench" }) },
  statusChangedAt: { type: "timestamptz", value: (r) => r.changedAt },
});

function rowsFor(count: number, tenantId: string, round: number): Row[] {
  return Array.from({ length: count }, (_, i) => ({
    armId: `/subscriptions/s/resourceGroups/rg-bench/providers/Microsoft.Compute/virtualMachines/vm${String(i).padStart(7, "0")}/providers/Microsoft.Security/assessments/bench-rec`,
    tenantId,
    // Round 2 flips every other finding: half the rows change, half are unchanged.
    status: round === 2 && i % 2 === 0 ? "Healthy" : "Unhealthy",
    changedAt: new Date(Date.UTC(2026, 0, 1) + (round === 2 && i % 2 === 0 ? 86_400_000 : 0)),
  }));
}

const rate = (rows: number, ms: number) => `${Math.round(rows / (ms / 1000)).toLocaleString("en-US")} rows/s`;

async function bench(url: string, count: number): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  try {
    const tenant = await prisma.azureTenant.create({
      data: { name: "bench", tenantId: "t", clientId: "c", clientSecretEnc: "x", authorityHost: "https://h", armEndpoint: "https://a" },
    });
    await prisma.recommendation.create({ data: { key: "bench-rec", displayName: "Bench", severity: "High", categories: [], threats: [] } });
    const options: BulkUpsertOptions<Row> = {
      table: "Finding",
      columns: columns(),
      conflict: ["armId"],
      update: ["status", "statusChangedAt"],
      set: { updatedAt: "now()", lastSeenAt: "now()" },
      onlyIfChanged: true,
    };

    let started = performance.now();
    const insert = await bulkUpsert(pool, rowsFor(count, tenant.id, 1), options);
    const insertMs = performance.now() - started;

    started = performance.now();
    const upsert = await bulkUpsert(pool, rowsFor(count, tenant.id, 2), options);
    const upsertMs = performance.now() - started;

    await pool.query('DELETE FROM "Finding"');
    const data = rowsFor(count, tenant.id, 1).map((r) => ({
      armId: r.armId,
      azureTenantId: r.tenantId,
      subscriptionId: "00000000-0000-0000-0000-00000000aaaa",
      resourceGroup: "rg-bench",
      resourceId: r.armId.split("/providers/Microsoft.Security")[0]!,
      resourceType: "Microsoft.Compute/virtualMachines",
      resourceName: r.armId.slice(-12),
      recommendationKey: "bench-rec",
      severity: "High" as const,
      status: r.status,
      tags: { env: "bench" },
      statusChangedAt: r.changedAt,
    }));
    started = performance.now();
    const created = await prisma.finding.createMany({ data });
    const createManyMs = performance.now() - started;

    console.log(`rows: ${count.toLocaleString("en-US")}`);
    console.log(`bulkUpsert insert        ${Math.round(insertMs)} ms  ${rate(count, insertMs)}  (${insert.inserted} inserted)`);
    console.log(
      `bulkUpsert upsert (50%Δ) ${Math.round(upsertMs)} ms  ${rate(count, upsertMs)}  (${upsert.updated} updated, ${upsert.unchanged} unchanged)`,
    );
    console.log(`prisma createMany        ${Math.round(createManyMs)} ms  ${rate(count, createManyMs)}  (${created.count} inserted)`);
    console.log(`ratio insert: bulkUpsert is ${(createManyMs / insertMs).toFixed(1)}x faster than createMany`);
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100_000);
  const configured = rawEnv("DATABASE_URL");
  const server = configured
    ? null
    : await startEmbeddedPostgres({ dataDir: await mkdtemp(join(tmpdir(), "posturedesk-bench-")), persistent: false });
  try {
    await withScratchDatabase(configured ?? server!.adminUrl, "posturedesk_bench", async (url) => {
      await migrate(url);
      await bench(url, count);
    });
  } finally {
    await server?.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
