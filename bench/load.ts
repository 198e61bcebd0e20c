// Load drill (docs/RELIABILITY.md; not part of `npm test`): 50 concurrent dashboard users for 60 s
// against the production server (`next start`, over HTTP, API token) at 100,000 findings, on the
// recommendations, findings, tickets and compliance list APIs with realistic filters and pages
// (bench/load-mix.ts). Prints p50/p95/p99, req/s and answers by status per API and overall, the
// server's RSS, and the same mix from one client first (the no-contention baseline).
//
//   npm run build && npx tsx --conditions=react-server bench/load.ts [--clients 50] [--seconds 60] [--findings 100000] [--think-ms 0]
//
// --think-ms 0 (default): each client sends its next request as soon as the last one answered — a
// closed loop that saturates the server and measures its capacity. --think-ms N: each client pauses a
// random 0.5N–1.5N ms between requests, like a person reading the page.
//
// Data: bench/recommendations-api-data.ts (findings, 10,000 tickets, governance) and
// bench/compliance-data.ts (scores, standards, a year of daily snapshots), generated set-based in a
// throwaway embedded PostgreSQL. Writes test-results/load/results.json.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { findFreePort } from "@/scripts/lib/ports";
import { seedCompliance } from "./compliance-data";
import { ms, picker, requestMix, type Shape, stats } from "./load-mix";
import { seedWorkspace } from "./recommendations-api-data";
import { applyBenchEnv, benchApiToken } from "./bench-env";

const root = path.resolve(__dirname, "..");
const { values } = parseArgs({ options: { clients: { type: "string", default: "50" }, seconds: { type: "string", default: "60" }, findings: { type: "string", default: "100000" }, "think-ms": { type: "string", default: "0" } } });
const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);
const THINK_MS = Number(values["think-ms"]);
const log = (m: string) => process.stdout.write(`[load] ${m}\n`);

type Sample = { group: Shape["group"]; path: string; status: number; ms: number };

function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function drive(base: string, token: string, shapes: Shape[], clients: number, seconds: number, thinkMs = 0): Promise<{ samples: Sample[]; seconds: number }> {
  const pick = picker(shapes);
  const samples: Sample[] = [];
  let n = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const shape = pick(n++);
        const t = performance.now();
        let status = 0;
        try {
          const res = await fetch(`${base}${shape.path}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(30_000) });
          await res.arrayBuffer();
          status = res.status;
        } catch {
          status = 0; // network error or timeout
        }
        samples.push({ group: shape.group, path: shape.path, status, ms: performance.now() - t });
        if (thinkMs > 0) await new Promise((r) => setTimeout(r, thinkMs * (0.5 + Math.random())));
      }
    }),
  );
  return { samples, seconds: (performance.now() - started) / 1000 };
}

function report(label: string, run: { samples: Sample[]; seconds: number }) {
  const groups = ["recommendations", "findings", "tickets", "compliance"] as const;
  const byStatus = (s: Sample[]) => Object.entries(s.reduce<Record<string, number>>((acc, x) => ((acc[x.status] = (acc[x.status] ?? 0) + 1), acc), {})).map(([k, v]) => `${k}×${v}`).join(" ");
  const rows = [...groups.map((g) => [g, run.samples.filter((s) => s.group === g)] as const), ["all", run.samples] as const].map(([name, s]) => {
    const st = stats(s.map((x) => x.ms));
    return { api: name, requests: st.count, rps: st.count / run.seconds, p50: st.p50, p95: st.p95, p99: st.p99, max: st.max, statuses: byStatus(s), errors5xx: s.filter((x) => x.status >= 500 || x.status === 0).length };
  });
  log(label);
  for (const r of rows) log(`  ${r.api.padEnd(16)} ${String(r.requests).padStart(6)} req  ${r.rps.toFixed(1).padStart(6)} req/s  p50 ${ms(r.p50).padStart(7)}  p95 ${ms(r.p95).padStart(7)}  p99 ${ms(r.p99).padStart(7)}  max ${ms(r.max).padStart(7)}  ${r.statuses}`);
  return rows;
}

async function main(): Promise<void> {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("no production build: run `npm run build` first");
  const pgDir = await mkdtemp(path.join(tmpdir(), "posturedesk-load-pg-"));
  const server = await startEmbeddedPostgres({ dataDir: pgDir, persistent: false });
  let app: ChildProcess | null = null;
  try {
    await migrate(server.url);
    const env = applyBenchEnv(server.url, { poolMax: 10, logLevel: "info", extra: { LOG_FILE: path.join(pgDir, "app.log") } });
    const { pool, closeDb } = await import("@/lib/db");
    const { refreshRecommendationSummaries } = await import("@/lib/recommendations/summary-sql");
      let t = performance.now();
    const seeded = await seedWorkspace(pool(), Number(values.findings));
    await seedCompliance(pool(), 365);
    await pool().query("ANALYZE");
    await refreshRecommendationSummaries();
    const keys = (await pool().query<{ key: string }>(`SELECT "key" FROM "Recommendation" ORDER BY 1`)).rows.map((r) => r.key);
    const token = await benchApiToken("MANAGER", "load");
    await closeDb();
    log(`seeded ${seeded.findings.toLocaleString()} findings, 10,000 tickets, ${seeded.links.toLocaleString()} links, a year of compliance snapshots in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const port = await findFreePort(3900);
    const child = spawn(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
      cwd: root,
      env: { ...process.env, ...env, PORT: String(port), APP_URL: `http://127.0.0.1:${port}` },
      stdio: "ignore",
    });
    app = child;
    const base = `http://127.0.0.1:${port}`;
    for (const deadline = Date.now() + 120_000; ; ) {
      const ok = await fetch(`${base}/api/ready`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error("the app did not become ready");
      await new Promise((r) => setTimeout(r, 250));
    }
    const shapes = requestMix(seeded.subscriptionIds, keys);
    // Warm-up: every shape twice (Next compiles nothing at run time, but caches and the pool fill).
    await drive(base, token, shapes, 4, 5);
    const rssBefore = rssMiB(child.pid!);

    const baseline = await drive(base, token, shapes, 1, 20);
    const baselineRows = report("baseline: 1 client, 20 s", baseline);
    // Where a single request's time goes: the slowest shapes without contention.
    const perShape = shapes
      .map((sh) => ({ path: sh.path, st: stats(baseline.samples.filter((x) => x.path === sh.path).map((x) => x.ms)) }))
      .filter((x) => x.st.count > 0)
      .sort((a, b) => b.st.p50 - a.st.p50);
    log("  slowest shapes, 1 client (median):");
    for (const x of perShape.slice(0, 8)) log(`    ${ms(x.st.p50).padStart(7)}  ${x.path.replace(/[0-9a-f]{8}-0000-4000-[89]000-0*/g, "…")}`);

    const rss: number[] = [];
    const timer = setInterval(() => rss.push(rssMiB(child.pid!)), 1000);
    const load1 = loadavg()[0]!;
    t = performance.now();
    const loaded = await drive(base, token, shapes, CLIENTS, SECONDS, THINK_MS);
    clearInterval(timer);
    const loadRows = report(`${CLIENTS} concurrent clients${THINK_MS ? `, think time ~${THINK_MS} ms` : ", no think time"}, ${SECONDS} s (load average ${load1.toFixed(1)} → ${loadavg()[0]!.toFixed(1)})`, loaded);
    const all = loadRows.at(-1)!;
    log(`server RSS: ${rssBefore.toFixed(0)} MiB warm, peak ${Math.max(...rss).toFixed(0)} MiB under load`);
    log(`ratio p95 under load / 1 client: ${(all.p95 / baselineRows.at(-1)!.p95).toFixed(1)}×; 5xx or network errors: ${all.errors5xx}`);
    const dir = path.join(root, "test-results", "load");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, "results.json"),
      JSON.stringify({ at: new Date().toISOString(), clients: CLIENTS, seconds: SECONDS, thinkMs: THINK_MS, findings: seeded.findings, baseline: baselineRows, slowest: perShape.slice(0, 8).map((x) => ({ path: x.path, p50: x.st.p50 })), load: loadRows, rssMiB: { warm: rssBefore, peak: Math.max(...rss) } }, null, 2),
    );
    if (all.errors5xx > 0) process.exitCode = 1;
  } finally {
    const running = app as ChildProcess | null;
    if (running && running.exitCode === null) {
      const exited = new Promise((r) => running.once("exit", r));
      running.kill("SIGTERM");
      await exited;
    }
    await server.stop();
    await rm(pgDir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  log(error.stack ?? error.message);
  process.exit(1);
});
