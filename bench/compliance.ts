// Benchmark (prints figures, asserts nothing): the compliance view at 100,000 findings and a year of
// daily snapshots for 20 subscriptions.
//   - GET /api/compliance/summary (default 90 days, a year, one subscription), the drill-down routes,
//     the CSV export of a year and GET /api/overview, through the real route handlers in-process
//     (session cookie, zod, services, JSON), one client and 20 concurrent clients;
//   - baseline in the same run: today's numbers computed from Finding ⋈ TicketLink ⋈ Ticket per request
//     (what RecommendationSummary and the daily snapshot save the summary from);
//   - writeComplianceSnapshot() at this size (what each sync adds);
//   - first render of /compliance: full HTML of the page from `next start` on the same database, when a
//     production build exists (`npm run build` first; skipped otherwise).
//
//   npx tsx --conditions=react-server bench/compliance.ts [--findings 100000] [--days 365] [--seconds 10] [--clients 20]
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { NextRequest } from "next/server";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { isBuildCurrent } from "@/scripts/lib/build";
import { seedCompliance, STANDARDS } from "./compliance-data";
import { seedWorkspace } from "./recommendations-api-data";
import { applyBenchEnv, benchSession } from "./bench-env";
import { load, type Load, percentile, runBench } from "./api-load";

const fmt = (l: Load) =>
  `${l.count} requests, ${l.rps.toFixed(1)}/s, p50 ${l.p50.toFixed(1)} ms, p95 ${l.p95.toFixed(1)} ms, max ${l.max.toFixed(0)} ms, errors ${l.errors}`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Full HTML of a page from `next start` (time to the last byte), sequentially after a warm-up. */
async function firstRender(env: Record<string, string>, cookie: string, pages: string[]): Promise<void> {
  const root = path.resolve(__dirname, "..");
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    console.log("first render of /compliance: skipped — no production build (run `npm run build`, then this benchmark again)");
    return;
  }
  // Other work in the tree may be newer than the build; the figures are still those of this page's code as built.
  console.log(`first render uses the production build in .next (${isBuildCurrent(root) ? "current" : "older than some sources"})`);
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port)], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), APP_URL: `http://localhost:${port}`, NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  try {
    const base = `http://localhost:${port}`;
    for (let i = 0; i < 120; i++) {
      if (
        await fetch(`${base}/api/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const page of pages) {
      const once = async () => {
        const t = performance.now();
        const res = await fetch(`${base}${page}`, { headers: { cookie } });
        const html = await res.text();
        return { ms: performance.now() - t, ok: res.status === 200 && html.includes("Secure score"), bytes: html.length };
      };
      for (let i = 0; i < 3; i++) await once(); // compile caches, plans, pool
      const runs = [];
      for (let i = 0; i < 15; i++) runs.push(await once());
      const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
      console.log(
        `first render GET ${page} (next start, full HTML with the prefetched data): p50 ${percentile(ms, 50).toFixed(0)} ms, p95 ${percentile(ms, 95).toFixed(0)} ms, ${(runs[0]!.bytes / 1024).toFixed(0)} KiB, ok ${runs.filter((r) => r.ok).length}/${runs.length}`,
      );
    }
  } catch (error) {
    console.log(`first render: failed (${String(error)}) ${stderr.slice(-2000)}`);
  } finally {
    child.kill("SIGTERM");
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { findings: { type: "string" }, days: { type: "string" }, seconds: { type: "string" }, clients: { type: "string" } },
  });
  const findings = Number(values.findings ?? 100_000);
  const days = Number(values.days ?? 365);
  const seconds = Number(values.seconds ?? 10);
  const clients = Number(values.clients ?? 20);

  const pgDir = await mkdtemp(path.join(tmpdir(), "posturedesk-bench-compliance-pg-"));
  const server = await startEmbeddedPostgres({ dataDir: pgDir, persistent: false });
  try {
    await migrate(server.url);
    const env = applyBenchEnv(server.url);
    // Imported after the environment is set: these modules read it on first use.
    const { pool, closeDb } = await import("@/lib/db");
    const { refreshRecommendationSummaries } = await import("@/lib/recommendations/summary-sql");
    const { writeComplianceSnapshot } = await import("@/lib/compliance/snapshot-sql");
    const summaryRoute = await import("@/app/api/compliance/summary/route");
    const standardRoute = await import("@/app/api/compliance/standards/[standard]/route");
    const controlRoute = await import("@/app/api/compliance/standards/[standard]/controls/[control]/route");
    const exportRoute = await import("@/app/api/compliance/export.csv/route");
    const overviewRoute = await import("@/app/api/overview/route");

    let t = performance.now();
    const seeded = await seedWorkspace(pool(), findings);
    const extra = await seedCompliance(pool(), days);
    await pool().query("ANALYZE");
    await refreshRecommendationSummaries();
    console.log(
      `seeded ${seeded.findings.toLocaleString()} findings, ${seeded.links.toLocaleString()} ticket links, ${extra.controls.toLocaleString()} controls, ${extra.assessments.toLocaleString()} assessments, ${extra.snapshots.toLocaleString()} daily snapshots (${days} days × ${seeded.subscriptionIds.length} subscriptions) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    const snapshotTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      t = performance.now();
      await writeComplianceSnapshot();
      snapshotTimes.push(performance.now() - t);
    }
    snapshotTimes.sort((a, b) => a - b);
    console.log(
      `writeComplianceSnapshot() (today, ${seeded.subscriptionIds.length} rows, upsert): median ${percentile(snapshotTimes, 50).toFixed(0)} ms, max ${snapshotTimes.at(-1)!.toFixed(0)} ms`,
    );

    const session = await benchSession("MANAGER");
    const cookie = `pd_session=${session}`;
    const sub = seeded.subscriptionIds[3]!;
    const failing = (
      await pool().query<{ standardName: string; name: string }>(
        `SELECT "standardName", "name" FROM "RegulatoryControl" WHERE "state" = 'Failed' ORDER BY 1, 2 LIMIT 1`,
      )
    ).rows[0]!;
    const yearAgo = new Date(Date.now() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
    type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
    const request = async (handler: Handler, url: string, params: Record<string, string> = {}) => {
      const res = await handler(new NextRequest(new URL(url, "http://localhost:3000"), { headers: { cookie } }), {
        params: Promise.resolve(params),
      });
      await res.text();
      return res.status === 200;
    };
    const shapes: Array<[string, () => Promise<boolean>]> = [
      ["summary, all subscriptions, 90 days", () => request(summaryRoute.GET, "/api/compliance/summary")],
      [`summary, all subscriptions, ${days} days`, () => request(summaryRoute.GET, `/api/compliance/summary?from=${yearAgo}`)],
      ["summary, one subscription, 90 days", () => request(summaryRoute.GET, `/api/compliance/summary?subscriptionId=${sub}`)],
      [
        "standard drill-down (controls)",
        () => request(standardRoute.GET, `/api/compliance/standards/${failing.standardName}`, { standard: failing.standardName }),
      ],
      [
        "control drill-down (assessments, findings, tickets)",
        () =>
          request(controlRoute.GET, "/api/compliance/standards/x/controls/y", { standard: failing.standardName, control: failing.name }),
      ],
      [`export.csv, trend of ${days} days`, () => request(exportRoute.GET, `/api/compliance/export.csv?from=${yearAgo}`)],
      ["export.csv, controls", () => request(exportRoute.GET, "/api/compliance/export.csv?report=controls")],
      ["overview", () => request(overviewRoute.GET, "/api/overview")],
    ];
    for (const [, one] of shapes) for (let i = 0; i < 3; i++) await one(); // warm-up
    for (const [label, one] of shapes) console.log(`GET ${label}, 1 client: ${fmt(await load(1, Math.min(seconds, 4), one))}`);
    const mix = await load(clients, seconds, (i) => shapes[i % 5]![1]());
    console.log(`GET summary + drill-down mix, ${clients} concurrent clients, ${seconds} s: ${fmt(mix)}`);

    // Baseline: today's numbers straight from the findings and tickets, per request.
    const naive = `
      SELECT f."severity", count(*) FILTER (WHERE f."status" = 'Unhealthy') AS unhealthy,
        count(DISTINCT f."id") FILTER (WHERE f."status" = 'Unhealthy' AND t."state" = 'open') AS covered,
        count(DISTINCT t."id") FILTER (WHERE t."state" = 'open') AS open, count(DISTINCT t."id") FILTER (WHERE t."isDrift") AS drift
      FROM "Finding" f LEFT JOIN "TicketLink" l ON l."findingId" = f."id" AND l."activeConnectionId" IS NOT NULL LEFT JOIN "Ticket" t ON t."id" = l."ticketId"
      WHERE f."removedAt" IS NULL GROUP BY 1`;
    const baseline = await load(1, Math.min(seconds, 4), async () => (await pool().query(naive), true));
    const summaryOne = await load(1, Math.min(seconds, 4), shapes[0]![1]);
    console.log(`baseline (current numbers from Finding ⋈ TicketLink ⋈ Ticket, SQL only): ${fmt(baseline)}`);
    console.log(`ratio p50 whole summary API / baseline SQL for its current numbers alone: ${(summaryOne.p50 / baseline.p50).toFixed(3)}`);
    console.log(`standards: ${STANDARDS.join(", ")}; drill-down target ${failing.standardName} ${failing.name}`);
    await closeDb();

    await firstRender(env, cookie, [
      "/compliance",
      `/compliance?from=${yearAgo}&standard=${encodeURIComponent(failing.standardName)}&control=${encodeURIComponent(failing.name)}`,
    ]);
    console.log(`bench process peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  } finally {
    await server.stop();
  }
}

runBench(main);
