// Benchmark (prints figures, asserts nothing): the database side of vulnerability sub-assessments at
// scale — the part that grows with millions of rows — into a throwaway embedded PostgreSQL. 100,000
// unhealthy findings (by default), N sub-assessments each (default 5, so 500,000), written through the
// product's writer (lib/ingestion/sub-assessment-writer.ts) in pages of 1,000 exactly as an ingestion
// does; then a full pass with nothing changed (+ its deletion anti-join), an incremental pass where 1%
// changed, a full pass where 1% vanished, and the reads: GET /api/findings?cve= (through listFindings)
// and a finding's summary. Rows are generated, not fetched: the Resource Graph side is one request per
// 1,000 rows, the same as for assessments (docs/PERFORMANCE.md).
//
//   npx tsx --conditions=react-server bench/sub-assessments.ts [--findings 100000] [--per-finding 5]
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { applyBenchEnv } from "./bench-env";

const PAGE = 1000;
const CVES = Array.from({ length: 400 }, (_, i) => `CVE-2024-${String(10000 + i)}`);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { findings: { type: "string" }, "per-finding": { type: "string" } } });
  const findings = Number(values.findings ?? 100_000);
  const perFinding = Number(values["per-finding"] ?? 5);
  const pgDir = await mkdtemp(path.join(tmpdir(), "posturedesk-bench-subs-pg-"));
  const server = await startEmbeddedPostgres({ dataDir: pgDir, persistent: false });
  try {
    await migrate(server.url);
    applyBenchEnv(server.url, { poolMax: 4 });
    const { closeDb, pool } = await import("@/lib/db");
    const { createSubAssessmentWriter } = await import("@/lib/ingestion/sub-assessment-writer");
    const { normalizeSubAssessment } = await import("@/lib/ingestion/sub-assessment-normalize");
    const { listFindings } = await import("@/lib/findings/list");
    const { subAssessmentSummary } = await import("@/lib/findings/sub-assessments");
    const { findingsQueryOf } = await import("@/lib/schemas/findings");
    const { SYSTEM_ACTOR } = await import("@/lib/audit/audit");

    const tenant = await pool().query<{ id: string }>(
      `INSERT INTO "AzureTenant" ("name", "tenantId", "clientId", "clientSecretEnc", "authorityHost", "armEndpoint") VALUES ('bench', 't', 'c', 'x', 'https://a', 'https://b') RETURNING "id"`,
    );
    const tenantId = tenant.rows[0]!.id;
    await pool().query(
      `INSERT INTO "Recommendation" ("key", "displayName", "severity", "categories", "threats") VALUES ('vuln', 'Machines should have vulnerability findings resolved', 'High', '{Compute}', '{}')`,
    );
    const t0 = performance.now();
    await pool().query(
      `INSERT INTO "Finding" ("armId", "azureTenantId", "subscriptionId", "resourceId", "resourceType", "resourceName", "recommendationKey", "severity", "status")
       SELECT '/subscriptions/s' || (i % 20) || '/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm' || i || '/providers/microsoft.security/assessments/vuln',
         $1::uuid, 's' || (i % 20), '/subscriptions/s' || (i % 20) || '/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm' || i,
         'microsoft.compute/virtualmachines', 'vm' || i, 'vuln', 'High', 'Unhealthy'
       FROM generate_series(1, $2::int) i`,
      [tenantId, findings],
    );
    await pool().query(`ANALYZE "Finding"`);
    console.log(`${findings.toLocaleString()} findings inserted in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    /** The raw Resource Graph row of sub-assessment j of finding i (`variant` changes its content; `scan` its timeGenerated). */
    const raw = (i: number, j: number, variant: number, scan: number) => {
      const cve = CVES[(i * 7 + j * 13 + variant) % CVES.length]!;
      return {
        id: `/subscriptions/s${i % 20}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm${i}/providers/Microsoft.Security/assessments/vuln/subAssessments/${i}-${j}`,
        name: `${i}-${j}`,
        type: "microsoft.security/assessments/subassessments",
        properties: {
          id: cve,
          displayName: `Vulnerability ${cve} in package p${j}`,
          status: {
            code: "Unhealthy",
            severity: ["High", "Medium", "Low"][(i + j) % 3],
            cause: "",
            description: "The resource is unhealthy",
          },
          remediation: `Upgrade p${j}`,
          category: "Remote code execution",
          description: `A vulnerability in p${j}`,
          timeGenerated: new Date(Date.UTC(2026, 11, 1 + scan)).toISOString(),
          resourceDetails: {
            source: "Azure",
            id: `/subscriptions/s${i % 20}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm${i}`,
          },
          additionalData: {
            assessedResourceType: "ServerVulnerabilityAssessment",
            type: "Vulnerability",
            cvss: { "2.0": { base: 7.5 }, "3.0": { base: 5 + ((i + j) % 50) / 10 } },
            patchable: true,
            cve: [{ title: cve, link: `https://nvd.nist.gov/vuln/detail/${cve}` }],
            publishedTime: "2024-01-01T00:00:00Z",
            vendorReferences: [{ title: "advisory", link: "https://example.com/advisory" }],
            threat: "",
          },
        },
      };
    };

    async function pass(label: string, mode: "full" | "incremental", rows: (emit: (r: unknown) => Promise<void>) => Promise<void>) {
      const client = await pool().connect();
      const started = performance.now();
      const totals = { received: 0, inserted: 0, updated: 0, deleted: 0, pages: 0 };
      let normalizeMs = 0;
      try {
        const writer = await createSubAssessmentWriter(client, { azureTenantId: tenantId, now: new Date(), isFull: mode === "full" });
        let page: unknown[] = [];
        const flush = async () => {
          const n0 = performance.now();
          const normalized = page.map((r) => normalizeSubAssessment(r)).flatMap((n) => (n.ok ? [n.value] : []));
          normalizeMs += performance.now() - n0;
          const result = await writer.write(normalized);
          totals.received += result.received;
          totals.inserted += result.inserted;
          totals.updated += result.updated;
          totals.pages++;
          page = [];
        };
        await rows(async (r) => {
          page.push(r);
          if (page.length === PAGE) await flush();
        });
        if (page.length) await flush();
        totals.deleted += await writer.deleteOfResolvedFindings();
        if (mode === "full") totals.deleted += await writer.deleteUnseen(Array.from({ length: 20 }, (_, k) => `s${k}`));
      } finally {
        await client.query("DROP TABLE IF EXISTS pg_temp.sub_assessment_seen").catch(() => undefined);
        client.release();
      }
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `${label.padEnd(44)} ${seconds.toFixed(1).padStart(6)} s  ${totals.pages} pages  received ${totals.received.toLocaleString()}  inserted ${totals.inserted.toLocaleString()}  updated ${totals.updated.toLocaleString()}  deleted ${totals.deleted.toLocaleString()}  (normalize ${(normalizeMs / 1000).toFixed(1)} s)  rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
      );
    }

    const all =
      (variantOf: (i: number, j: number) => number, keep: (i: number, j: number) => boolean = () => true) =>
      async (emit: (r: unknown) => Promise<void>) => {
        for (let i = 1; i <= findings; i++)
          for (let j = 0; j < perFinding; j++) if (keep(i, j)) await emit(raw(i, j, variantOf(i, j), variantOf(i, j)));
      };
    const total = findings * perFinding;
    console.log(
      `sub-assessments: ${total.toLocaleString()} (${perFinding} per finding); load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    );
    await pass(
      "first full pass (all new)",
      "full",
      all(() => 0),
    );
    await pool().query(`ANALYZE "SubAssessment"`);
    await pass(
      "full pass, nothing changed",
      "full",
      all(() => 0),
    );
    // 1% of the sub-assessments rescanned with a different result: an incremental pass gets only those.
    const changed = (i: number, j: number) => (i % 100 === 0 && j === 0 ? 1 : 0);
    await pass("incremental pass, 1% changed (only those sent)", "incremental", async (emit) => {
      for (let i = 100; i <= findings; i += 100) await emit(raw(i, 0, 1, 1));
    });
    await pass(
      "full pass, 1% vanished",
      "full",
      all(changed, (i, j) => !(i % 100 === 1 && j === 1)),
    );

    const size = await pool().query<{ table: string; indexes: string }>(
      `SELECT pg_size_pretty(pg_table_size('"SubAssessment"')) AS "table", pg_size_pretty(pg_indexes_size('"SubAssessment"')) AS "indexes"`,
    );
    console.log(`SubAssessment: table ${size.rows[0]!.table}, indexes ${size.rows[0]!.indexes}`);

    const timeIt = async (label: string, fn: () => Promise<unknown>, rounds = 5) => {
      await fn();
      const times: number[] = [];
      for (let k = 0; k < rounds; k++) {
        const s = performance.now();
        await fn();
        times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      console.log(`${label.padEnd(44)} median ${times[Math.floor(times.length / 2)]!.toFixed(1)} ms`);
    };
    await timeIt("GET /api/findings?cve= (page 1 of 50 + count)", () => listFindings(SYSTEM_ACTOR, findingsQueryOf({ cve: CVES[3]! })));
    const one = await pool().query<{ id: string }>(`SELECT "findingId" AS id FROM "SubAssessment" LIMIT 1`);
    await timeIt("a finding's summary (counts + 100 items)", () => subAssessmentSummary(one.rows[0]!.id));
    console.log(
      `load average at the end ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    );
    await closeDb();
  } finally {
    await server.stop();
    await rm(pgDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
