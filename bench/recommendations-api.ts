// Benchmark (prints figures, asserts nothing): GET /api/recommendations at 100,000 findings under 20
// concurrent clients, through the real route handler (session cookie, zod, service, JSON), in-process.
// Baseline in the same run: the same list computed straight from Finding (GROUP BY per request) — what
// RecommendationSummary exists to avoid. Also the summary refresh times and EXPLAIN ANALYZE plans.
//
//   npx tsx --conditions=react-server bench/recommendations-api.ts [--findings 100000] [--seconds 20] [--clients 20]
//
// Data: synthetic, generated set-based in a throwaway embedded PostgreSQL: 20 subscriptions, 300
// recommendations, ~8,600 resources, 10,000 tickets linked to 20,000 unhealthy findings, 10,000
// governance assignments.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { NextRequest } from "next/server";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { QUERIES, seedWorkspace } from "./recommendations-api-data";
import { applyBenchEnv, benchSession } from "./bench-env";
import { load, type Load, runBench } from "./api-load";

const fmt = (l: Load) =>
  `${l.count} requests, ${l.rps.toFixed(0)}/s, p50 ${l.p50.toFixed(1)} ms, p95 ${l.p95.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, max ${l.max.toFixed(0)} ms, errors ${l.errors}`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { findings: { type: "string" }, seconds: { type: "string" }, clients: { type: "string" } } });
  const findings = Number(values.findings ?? 100_000);
  const seconds = Number(values.seconds ?? 20);
  const clients = Number(values.clients ?? 20);

  const pgDir = await mkdtemp(path.join(tmpdir(), "posturedesk-bench-api-pg-"));
  const server = await startEmbeddedPostgres({ dataDir: pgDir, persistent: false });
  try {
    await migrate(server.url);
    applyBenchEnv(server.url);
    // Imported after the environment is set: these modules read it on first use.
    const { pool, closeDb } = await import("@/lib/db");
    const { refreshRecommendationSummaries } = await import("@/lib/recommendations/summary-sql");
    const { GET } = await import("@/app/api/recommendations/route");

    let t = performance.now();
    const seeded = await seedWorkspace(pool(), findings);
    console.log(
      `seeded ${seeded.findings.toLocaleString()} findings, ${seeded.links.toLocaleString()} ticket links, ${seeded.governance.toLocaleString()} governance assignments in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    await pool().query("ANALYZE");

    t = performance.now();
    const rows = await refreshRecommendationSummaries();
    console.log(`full summary refresh: ${rows.toLocaleString()} summary rows in ${(performance.now() - t).toFixed(0)} ms`);
    const keys = (
      await pool().query<{ key: string }>(`SELECT "recommendationKey" AS key FROM "RecommendationSummary" GROUP BY 1 LIMIT 3`)
    ).rows.map((r) => r.key);
    t = performance.now();
    await refreshRecommendationSummaries({ keys });
    console.log(`targeted summary refresh (3 recommendations, as after a ticket change): ${(performance.now() - t).toFixed(0)} ms`);
    await pool().query("ANALYZE");

    const session = await benchSession("ANALYST");
    const cookie = `pd_session=${session}`;
    const subs = seeded.subscriptionIds;
    const queries = QUERIES(subs);
    const viaApi = async (i: number) => {
      const url = new URL(`http://localhost:3000/api/recommendations?${queries[i % queries.length]}`);
      const res = await GET(new NextRequest(url, { headers: { cookie } }), { params: Promise.resolve({}) });
      const body = await res.text();
      return res.status === 200 && body.startsWith('{"items"');
    };
    for (let i = 0; i < queries.length * 3; i++) await viaApi(i); // warm-up: JIT, plans, pool
    const serial = await load(1, 5, viaApi);
    console.log(`GET /api/recommendations, 1 client (cost of one request): ${fmt(serial)}`);
    const api = await load(clients, seconds, viaApi);
    console.log(`GET /api/recommendations, ${clients} concurrent clients, ${seconds} s, ${queries.length} query shapes: ${fmt(api)}`);

    // Baseline: the same first page computed from Finding on every request.
    const baseline = async () => {
      await pool().query(seeded.naiveSql);
      return true;
    };
    await baseline();
    const naive = await load(clients, Math.min(seconds, 10), baseline);
    console.log(`baseline (GROUP BY over Finding per request, SQL only, no HTTP layer): ${fmt(naive)}`);
    console.log(`ratio p95 summary-backed API / baseline SQL: ${(api.p95 / naive.p95).toFixed(3)}`);

    for (const [label, qs] of [
      ["default", ""],
      ["High, without tickets", "severity=High&hasTicket=false"],
      ["one subscription, sorted by coverage", `subscriptionId=${subs[0]}&sort=coverage`],
      ["search", "q=number%2012"],
    ] as const) {
      const { aggregateSql, Params } = await import("@/lib/recommendations/list-sql");
      const { recommendationsQueryOf } = await import("@/lib/schemas/recommendations");
      const q = recommendationsQueryOf(Object.fromEntries(new URLSearchParams(qs)));
      const params = new Params();
      const sql = `EXPLAIN (ANALYZE, BUFFERS, SUMMARY) SELECT x.*, count(*) OVER () FROM (${aggregateSql(q, params)}) x LIMIT 50`;
      const plan = await pool().query<{ "QUERY PLAN": string }>(sql, params.values);
      const lines = plan.rows.map((r) => r["QUERY PLAN"]);
      console.log(`EXPLAIN ANALYZE (${label}): ${lines.filter((l) => /Execution Time|Planning Time/.test(l)).join("; ")}`);
      if (process.env.BENCH_PLANS) console.log(lines.join("\n"));
    }
    const peak = process.resourceUsage().maxRSS / 1024;
    console.log(`bench process peak RSS ${peak.toFixed(0)} MiB`);
    await closeDb();
  } finally {
    await server.stop();
  }
}

runBench(main);
