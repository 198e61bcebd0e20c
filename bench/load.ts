// Load drill (docs/RELIABILITY.md, docs/PERFORMANCE.md; not part of `npm test`): concurrent dashboard
// users against the production server (`next start`, over HTTP, API token) at 100,000 findings, on the
// recommendations, findings, tickets and compliance list APIs with realistic filters and pages
// (bench/load-mix.ts). Prints p50/p95/p99, req/s and answers by status per API and overall, the
// server's RSS, and the same mix from one client first (the no-contention baseline).
//
//   npm run build && npx tsx --conditions=react-server bench/load.ts [--clients 50] [--seconds 60] [--findings 100000] [--think-ms 0]
//       [--baseline-seconds 20] [--base-dir /tmp/perf-base] [--db-dir /tmp/load-1m]
//
// The floor: the same clients on GET /api/auth/me (authenticated, no data work) — what Next.js, the
// route wrapper and authentication cost here. Every group's p95 and the mix's throughput are printed as
// ratios to it, and results.json carries it as `"api": "floor"` in `baseline` and `load`.
//
// --base-dir DIR: another checkout with its own production build (e.g. `git worktree add /tmp/perf-base
// main`, node_modules linked, `next build`), served against the same database; its floor, 1-client mix and
// loaded mix are measured in the same run, the two trees taking turns in four short slices per phase
// (so both see the same shared machine), and written under `before`.
//
// --think-ms 0 (default): each client sends its next request as soon as the last one answered — a
// closed loop that saturates the server and measures its capacity. --think-ms N: each client pauses a
// random 0.5N–1.5N ms between requests, like a person reading the page.
//
// Data: bench/recommendations-api-data.ts (findings, 10,000 tickets, governance) and
// bench/compliance-data.ts (scores, standards, a year of daily snapshots), generated set-based in a
// throwaway embedded PostgreSQL. Writes test-results/load/results.json (with the database's size).
//
// --db-dir DIR: a kept embedded PostgreSQL in DIR instead (a folder the postgres user can reach, e.g.
// under /tmp): seeded on the first run, reused as it is by the next runs with the same --findings (a
// million findings take minutes to seed and ~1.7 GB); `rm -rf DIR` when done.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import type pg from "pg";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { findFreePort } from "@/scripts/lib/ports";
import { seedCompliance } from "./compliance-data";
import { FLOOR, ms, picker, requestMix, type Shape, stats } from "./load-mix";
import { seedWorkspace } from "./recommendations-api-data";
import { applyBenchEnv, benchApiToken } from "./bench-env";

const root = path.resolve(__dirname, "..");
const { values } = parseArgs({
  options: {
    clients: { type: "string", default: "50" },
    seconds: { type: "string", default: "60" },
    findings: { type: "string", default: "100000" },
    "think-ms": { type: "string", default: "0" },
    "baseline-seconds": { type: "string", default: "20" },
    "base-dir": { type: "string" },
    "db-dir": { type: "string" },
  },
});
const BASELINE_SECONDS = Number(values["baseline-seconds"]);
const BASE_DIR = values["base-dir"] ? path.resolve(values["base-dir"]) : null;
const DB_DIR = values["db-dir"] ? path.resolve(values["db-dir"]) : null;
const FINDINGS = Number(values.findings);
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

/** Where each (server, shape list) left off in the weighted wheel, so short slices walk the whole mix. */
const wheelAt = new Map<string, number>();

async function drive(
  base: string,
  token: string,
  shapes: Shape[],
  clients: number,
  seconds: number,
  thinkMs = 0,
): Promise<{ samples: Sample[]; seconds: number }> {
  const pick = picker(shapes);
  const samples: Sample[] = [];
  const wheel = `${base} ${shapes.length}`;
  let n = wheelAt.get(wheel) ?? 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const shape = pick(n++);
        const t = performance.now();
        let status = 0;
        try {
          const res = await fetch(`${base}${shape.path}`, {
            headers: { authorization: `Bearer ${token}` },
            signal: AbortSignal.timeout(30_000),
          });
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
  wheelAt.set(wheel, n);
  return { samples, seconds: (performance.now() - started) / 1000 };
}

type Row = {
  api: string;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  statuses: string;
  errors5xx: number;
};

function report(label: string, run: { samples: Sample[]; seconds: number }, floor?: { samples: Sample[]; seconds: number }): Row[] {
  const groups = ["recommendations", "findings", "tickets", "compliance"] as const;
  const byStatus = (s: Sample[]) =>
    Object.entries(s.reduce<Record<string, number>>((acc, x) => ((acc[x.status] = (acc[x.status] ?? 0) + 1), acc), {}))
      .map(([k, v]) => `${k}×${v}`)
      .join(" ");
  const row = (name: string, s: Sample[], seconds: number): Row => {
    const st = stats(s.map((x) => x.ms));
    return {
      api: name,
      requests: st.count,
      rps: st.count / seconds,
      p50: st.p50,
      p95: st.p95,
      p99: st.p99,
      max: st.max,
      statuses: byStatus(s),
      errors5xx: s.filter((x) => x.status >= 500 || x.status === 0).length,
    };
  };
  const rows = [
    ...groups.map((g) =>
      row(
        g,
        run.samples.filter((s) => s.group === g),
        run.seconds,
      ),
    ),
    row("all", run.samples, run.seconds),
  ];
  if (floor) rows.push(row("floor", floor.samples, floor.seconds));
  const f = rows.find((r) => r.api === "floor");
  log(label);
  for (const r of rows) {
    const ratio =
      f && r !== f
        ? `  p95 ${(r.p95 / f.p95).toFixed(1).padStart(5)}× floor${r.api === "all" ? `, req/s ${(r.rps / f.rps).toFixed(2)}× floor` : ""}`
        : "";
    log(
      `  ${r.api.padEnd(16)} ${String(r.requests).padStart(6)} req  ${r.rps.toFixed(1).padStart(6)} req/s  p50 ${ms(r.p50).padStart(7)}  p95 ${ms(r.p95).padStart(7)}  p99 ${ms(r.p99).padStart(7)}  max ${ms(r.max).padStart(7)}  ${r.statuses}${ratio}`,
    );
  }
  return rows;
}

type Server = {
  name: string;
  base: string;
  child: ChildProcess;
  rssWarm: number;
  rssPeak: number;
  baseline: Row[];
  load: Row[];
  slowest: Array<{ path: string; p50: number; p95: number }>;
};

/** `next start` of the production build in `dir` on a free port, ready. */
async function startApp(name: string, dir: string, env: Record<string, string>, token: string, apps: ChildProcess[]): Promise<Server> {
  if (!existsSync(path.join(dir, ".next", "BUILD_ID"))) throw new Error(`no production build in ${dir}: run \`npm run build\` there first`);
  const port = await findFreePort(3900 + apps.length * 17);
  const child = spawn(
    process.execPath,
    [path.join(dir, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: dir,
      env: { ...process.env, ...env, PORT: String(port), APP_URL: `http://127.0.0.1:${port}` },
      stdio: "ignore",
    },
  );
  apps.push(child);
  const base = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 120_000; ;) {
    // Ready = answers an authenticated request (`/api/ready` of an older tree says 503 to a database
    // migrated further than it knows, which is how the side-by-side run is set up).
    const ok = await fetch(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the app in ${dir} did not become ready`);
    await new Promise((r) => setTimeout(r, 250));
  }
  log(`${name}: ${dir} on ${base}`);
  return { name, base, child, rssWarm: 0, rssPeak: 0, baseline: [], load: [], slowest: [] };
}

async function main(): Promise<void> {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("no production build: run `npm run build` first");
  const pgDir = DB_DIR ?? (await mkdtemp(path.join(tmpdir(), "posturedesk-load-pg-")));
  const server = await startEmbeddedPostgres({ dataDir: pgDir, persistent: DB_DIR !== null });
  const apps: ChildProcess[] = [];
  try {
    await migrate(server.url);
    const env = applyBenchEnv(server.url, { poolMax: 10, logLevel: "info", extra: { LOG_FILE: path.join(pgDir, "app.log") } });
    const { pool, closeDb } = await import("@/lib/db");
    const t = performance.now();
    const seeded = await seedOrReuse(pool());
    const seedSeconds = (performance.now() - t) / 1000;
    const keys = (await pool().query<{ key: string }>(`SELECT "key" FROM "Recommendation" ORDER BY 1`)).rows.map((r) => r.key);
    const token = await benchApiToken("MANAGER", "load");
    const size = (
      await pool().query<{ database: string; finding: string }>(
        `SELECT pg_database_size(current_database())::text AS database, pg_total_relation_size('"Finding"')::text AS finding`,
      )
    ).rows[0]!;
    const database = { bytes: Number(size.database), findingBytes: Number(size.finding) };
    await closeDb();
    log(
      `${seeded.reused ? "reused" : "seeded"} ${seeded.findings.toLocaleString()} findings, 10,000 tickets, ${seeded.links.toLocaleString()} links, a year of compliance snapshots in ${seedSeconds.toFixed(1)} s; database ${mb(database.bytes)} (Finding with its indexes ${mb(database.findingBytes)}); this process's peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
    );

    const shapes = requestMix(seeded.subscriptionIds, keys);
    const servers: Server[] = [];
    if (BASE_DIR) servers.push(await startApp("before", BASE_DIR, env, token, apps));
    servers.push(await startApp("after", root, env, token, apps));
    for (const sv of servers) {
      // Warm-up: every shape a few times (Next compiles nothing at run time, but caches and the pool fill).
      await drive(sv.base, token, [...shapes, ...FLOOR], 4, 5);
      sv.rssWarm = rssMiB(sv.child.pid!);
    }
    // The trees take turns in short slices (the shared machine's load moves from minute to minute, and a
    // tree measured second would get a different machine): ROUNDS rounds of each phase per tree.
    const ROUNDS = BASE_DIR ? 4 : 1;
    const merge = (a: Run | undefined, b: Run): Run => (a ? { samples: [...a.samples, ...b.samples], seconds: a.seconds + b.seconds } : b);
    type Run = { samples: Sample[]; seconds: number };
    const one = new Map<Server, { floor?: Run; mix?: Run }>(servers.map((sv) => [sv, {}]));
    for (let r = 0; r < ROUNDS; r++) {
      for (const sv of r % 2 ? [...servers].reverse() : servers) {
        const acc = one.get(sv)!;
        acc.floor = merge(acc.floor, await drive(sv.base, token, FLOOR, 1, Math.max(2, BASELINE_SECONDS / 4 / ROUNDS)));
        acc.mix = merge(acc.mix, await drive(sv.base, token, shapes, 1, BASELINE_SECONDS / ROUNDS));
      }
    }
    for (const sv of servers) {
      const { floor, mix: baseline } = one.get(sv)! as { floor: Run; mix: Run };
      sv.baseline = report(`[${sv.name}] baseline: 1 client, ${BASELINE_SECONDS} s`, baseline, floor);
      // Where a single request's time goes: the slowest shapes without contention.
      sv.slowest = shapes
        .map((sh) => ({ path: sh.path, st: stats(baseline.samples.filter((x) => x.path === sh.path).map((x) => x.ms)) }))
        .filter((x) => x.st.count > 0)
        .sort((a, b) => b.st.p50 - a.st.p50)
        .map((x) => ({ path: x.path, p50: x.st.p50, p95: x.st.p95 }));
      const floorP95 = sv.baseline.find((r) => r.api === "floor")!.p95;
      log(`  [${sv.name}] slowest shapes, 1 client (median / p95 / p95 ÷ floor p95):`);
      const line = (x: (typeof sv.slowest)[number]) =>
        `    ${ms(x.p50).padStart(7)} ${ms(x.p95).padStart(7)} ${(x.p95 / floorP95).toFixed(1).padStart(5)}×  ${x.path.replace(/[0-9a-f]{8}-0000-4000-[89]000-0*/g, "…")}`;
      for (const x of sv.slowest.slice(0, 12)) log(line(x));
      // Every shape's own p95 against the floor's (issue 18's goal is per shape): the ones over 3×.
      const over = sv.slowest.filter((x) => x.p95 > 3 * floorP95);
      log(`  [${sv.name}] shapes whose 1-client p95 is over 3× the floor's: ${over.length} of ${sv.slowest.length}`);
      for (const x of over) log(line(x));
    }
    // Saturated: the floor and the mix with every client, the trees in turns.
    const many = new Map<Server, { floor?: Run; mix?: Run; rss: number[] }>(servers.map((sv) => [sv, { rss: [] }]));
    const load1 = loadavg()[0]!;
    for (let r = 0; r < ROUNDS; r++) {
      for (const sv of r % 2 ? [...servers].reverse() : servers) {
        const acc = many.get(sv)!;
        const timer = setInterval(() => acc.rss.push(rssMiB(sv.child.pid!)), 1000);
        acc.floor = merge(acc.floor, await drive(sv.base, token, FLOOR, CLIENTS, Math.max(2, SECONDS / 3 / ROUNDS), THINK_MS));
        acc.mix = merge(acc.mix, await drive(sv.base, token, shapes, CLIENTS, SECONDS / ROUNDS, THINK_MS));
        clearInterval(timer);
      }
    }
    for (const sv of servers) {
      const acc = many.get(sv)! as { floor: Run; mix: Run; rss: number[] };
      sv.load = report(
        `[${sv.name}] ${CLIENTS} concurrent clients${THINK_MS ? `, think time ~${THINK_MS} ms` : ", no think time"}, ${SECONDS} s (load average ${load1.toFixed(1)} → ${loadavg()[0]!.toFixed(1)})`,
        acc.mix,
        acc.floor,
      );
      sv.rssPeak = Math.max(...acc.rss);
      const all = sv.load.find((r) => r.api === "all")!;
      log(
        `  [${sv.name}] server RSS: ${sv.rssWarm.toFixed(0)} MiB warm, peak ${sv.rssPeak.toFixed(0)} MiB under load; p95 under load / 1 client: ${(all.p95 / sv.baseline.find((r) => r.api === "all")!.p95).toFixed(1)}×; 5xx or network errors: ${all.errors5xx}`,
      );
      if (all.errors5xx > 0) process.exitCode = 1;
    }
    const after = servers.at(-1)!;
    const before = BASE_DIR ? servers[0]! : null;
    if (before) {
      log("after / before (same run):");
      for (const api of ["recommendations", "findings", "tickets", "compliance", "all", "floor"]) {
        const b1 = before.baseline.find((r) => r.api === api)!;
        const a1 = after.baseline.find((r) => r.api === api)!;
        const bl = before.load.find((r) => r.api === api)!;
        const al = after.load.find((r) => r.api === api)!;
        log(
          `  ${api.padEnd(16)} 1-client p95 ${ms(b1.p95).padStart(7)} → ${ms(a1.p95).padStart(7)}   ${CLIENTS} clients req/s ${bl.rps.toFixed(1).padStart(6)} → ${al.rps.toFixed(1).padStart(6)} (${(al.rps / bl.rps).toFixed(2)}×)`,
        );
      }
    }
    const dir = path.join(root, "test-results", "load");
    mkdirSync(dir, { recursive: true });
    const entry = (sv: Server) => ({
      baseline: sv.baseline,
      slowest: sv.slowest,
      load: sv.load,
      rssMiB: { warm: sv.rssWarm, peak: sv.rssPeak },
    });
    writeFileSync(
      path.join(dir, "results.json"),
      JSON.stringify(
        {
          at: new Date().toISOString(),
          clients: CLIENTS,
          seconds: SECONDS,
          baselineSeconds: BASELINE_SECONDS,
          thinkMs: THINK_MS,
          findings: seeded.findings,
          seed: { reused: seeded.reused, seconds: seedSeconds },
          database,
          ...entry(after),
          ...(before ? { before: { dir: BASE_DIR, ...entry(before) } } : {}),
        },
        null,
        2,
      ),
    );
  } finally {
    for (const running of apps) {
      if (running.exitCode !== null) continue;
      const exited = new Promise((r) => running.once("exit", r));
      running.kill("SIGTERM");
      await exited;
    }
    await server.stop();
    if (!DB_DIR) await rm(pgDir, { recursive: true, force: true });
  }
}

const mb = (bytes: number) => `${(bytes / 1e6).toLocaleString("en-US", { maximumFractionDigits: 0 })} MB`;

/**
 * Statistics, and the visibility map the list indexes' index-only scans need: in a freshly seeded
 * database every entry they read still cost a heap fetch until autovacuum passed, so a first run measured
 * slower than the next ones on the same data (a database in use is vacuumed; docs/PERFORMANCE.md, runs J–L).
 */
const VACUUM = "VACUUM (ANALYZE)";

/**
 * The workspace at --findings: seeded set-based, or — in a kept --db-dir that already holds it — reused
 * (the same deterministic data; only vacuumed and its statistics refreshed).
 */
async function seedOrReuse(pool: pg.Pool): Promise<{ findings: number; links: number; subscriptionIds: string[]; reused: boolean }> {
  const { refreshRecommendationSummaries } = await import("@/lib/recommendations/summary-sql");
  const held = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Finding"`)).rows[0]!.n;
  if (held > 0) {
    if (held !== FINDINGS)
      throw new Error(`${DB_DIR} holds ${held.toLocaleString()} findings, not ${FINDINGS.toLocaleString()}: use another --db-dir`);
    const subs = await pool.query<{ subscriptionId: string }>(`SELECT "subscriptionId" FROM "Subscription" ORDER BY 1`);
    const links = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "TicketLink"`)).rows[0]!.n;
    await pool.query(VACUUM);
    return { findings: held, links, subscriptionIds: subs.rows.map((s) => s.subscriptionId), reused: true };
  }
  const t = performance.now();
  const step = (what: string) => log(`seed: ${what} after ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const seeded = await seedWorkspace(pool, FINDINGS, log);
  step("findings, tickets, links, governance");
  await seedCompliance(pool, 365);
  step("compliance");
  await pool.query(VACUUM);
  await refreshRecommendationSummaries();
  step("VACUUM (ANALYZE) and the recommendation summaries");
  return { ...seeded, reused: false };
}

main().catch((error: Error) => {
  log(error.stack ?? error.message);
  process.exit(1);
});
