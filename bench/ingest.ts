// Benchmark (prints figures, asserts nothing): Defender ingestion of the `large` seed (100,000
// assessments, 20 subscriptions) into a throwaway embedded PostgreSQL — a first full ingestion, a full
// pass with nothing changed, and an incremental pass after 1% of the statuses changed — each against
// its floor measured in the same run: the same API requests, paged through without storing anything.
// Reports time, requests served by the ARM emulator, peak memory of this process and the ratio.
//
//   npx tsx --conditions=react-server bench/ingest.ts [--seed 7] [--size large] [--rounds 2] [--arm]
//     [--assessments 1000000] [--first-only] [--timeout-ms 30000]
//
// --arm also measures the ARM strategy (SecurityCenter per subscription, 100 per page) on the same data.
// --assessments scales the `large` seed (the million-finding run); --first-only measures just the floor and
// the first full ingestion (then the database size), for sizes where the other passes take too long.
// --timeout-ms: the Azure client's per-request timeout (default 30 s, the product's); at 1,000,000 the
// emulator's first Resource Graph page (the whole result sorted once) can take longer on a busy machine.
// The emulators run in a child process (bench/ingest-emulators.ts), as ARM would for a real ingestion.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ensureCertificates } from "@/emulators/common/tls";
import { readManifest, type EmulatorManifest } from "@/emulators/manifest";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { floorPass } from "./ingest-floor";
import { applyBenchEnv } from "./bench-env";

type Measure = { seconds: number; requests: number; peakRssMiB: number; peakHeapMiB: number };

async function waitFor(file: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 600_000; // a saturated machine took 2–3 min at 100,000 (and at 1,000,000)
  while (!existsSync(file)) {
    if (child.exitCode !== null) throw new Error("the emulators exited before they were ready");
    if (Date.now() > deadline) throw new Error("the emulators did not start within 10 minutes");
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: "string" },
      size: { type: "string" },
      arm: { type: "boolean" },
      rounds: { type: "string" },
      assessments: { type: "string" },
      "first-only": { type: "boolean" },
      "timeout-ms": { type: "string" },
    },
  });
  // MSAL trusts the local CA only when it is named at process start: re-run ourselves with it.
  const certs = ensureCertificates(".data/certs");
  if (process.env.NODE_EXTRA_CA_CERTS !== certs.bundlePath) {
    const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      stdio: "inherit",
      env: { ...process.env, NODE_EXTRA_CA_CERTS: certs.bundlePath },
    });
    // Stay until the child ends (and pass a stop on to it), so no run is left behind this process.
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
    await new Promise<never>(() => child.on("exit", (code) => process.exit(code ?? 1)));
  }
  const size = values.size ?? "large";
  const dir = await mkdtemp(path.join(tmpdir(), "posturedesk-bench-ingest-"));
  const pgDir = await mkdtemp(path.join(tmpdir(), "posturedesk-bench-ingest-pg-"));
  const started = performance.now();
  const emulators = spawn(
    process.execPath,
    [
      "node_modules/tsx/dist/cli.mjs",
      "bench/ingest-emulators.ts",
      "--dir",
      dir,
      "--seed",
      values.seed ?? "7",
      "--size",
      size,
      ...(values.assessments ? ["--assessments", values.assessments] : []),
    ],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  const server = await startEmbeddedPostgres({ dataDir: pgDir, persistent: false });
  try {
    await migrate(server.url);
    await waitFor(path.join(dir, "emulators.json"), emulators);
    const m: EmulatorManifest = readManifest(path.join(dir, "emulators.json"));
    console.log(`emulators (${size}, seed ${m.seed}) and PostgreSQL ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    applyBenchEnv(server.url, { manifest: m, poolMax: 10 });
    // Imported after the environment is set: these modules read it on first use.
    const { createAzureClient } = await import("@/lib/azure/client");
    const { ingestDefender } = await import("@/lib/ingestion/ingest");
    const { newRun, registerEmulatorTenant } = await import("@/lib/ingestion/testing/fixtures");
    const { closeDb, db, pool } = await import("@/lib/db");

    const control = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${m.arm.url}${route}`, {
        method,
        headers: body ? { "content-type": "application/json" } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      return (text ? JSON.parse(text) : undefined) as T;
    };
    const requests = async () => (await control<{ total: number }>("GET", "/_emulator/counters?emulator=arm")).total;
    async function measure(label: string, fn: () => Promise<unknown>): Promise<Measure> {
      await control("POST", "/_emulator/counters/reset");
      let peakRss = process.memoryUsage().rss;
      let peakHeap = process.memoryUsage().heapUsed;
      const sampler = setInterval(() => {
        const u = process.memoryUsage();
        peakRss = Math.max(peakRss, u.rss);
        peakHeap = Math.max(peakHeap, u.heapUsed);
      }, 50);
      const t = performance.now();
      await fn();
      const seconds = (performance.now() - t) / 1000;
      clearInterval(sampler);
      const result = { seconds, requests: await requests(), peakRssMiB: peakRss / 2 ** 20, peakHeapMiB: peakHeap / 2 ** 20 };
      console.log(
        `${label}: ${seconds.toFixed(2)} s, ${result.requests} requests, peak RSS ${result.peakRssMiB.toFixed(0)} MiB (heap ${result.peakHeapMiB.toFixed(0)} MiB)`,
      );
      return result;
    }

    const azureConfig = values["timeout-ms"] ? { timeoutMs: Number(values["timeout-ms"]) } : {};
    const tenant = await registerEmulatorTenant(m);
    const subs = m.arm.subscriptionIds;
    const client = createAzureClient({
      tenantId: m.tenantId,
      ...m.entra.armServicePrincipal,
      authorityHost: m.entra.url,
      armEndpoint: m.arm.url,
      ...azureConfig,
    });
    await client.listSubscriptions(); // token and TLS warm-up for the floor, not measured
    const countsOf = async (runId: string) =>
      ((await db().syncRun.findUniqueOrThrow({ where: { id: runId } })).counts as { defender: Record<string, unknown> }).defender;

    // The machine is shared: each round measures a floor right before the passes it is compared with,
    // and the summary compares the best of the rounds (the least disturbed measurement of each).
    const rounds: Record<string, Measure[]> = {};
    const keep = (key: string, m: Measure) => (rounds[key] ??= []).push(m);
    for (let round = 1; round <= Number(values.rounds ?? 2); round++) {
      console.log(`— round ${round}`);
      // A fresh start: no findings (the recommendations catalog stays; upserting it is cheap).
      await pool().query(`TRUNCATE "Finding", "RecommendationSummary", "RecommendationSummaryDirty" CASCADE`);
      await pool().query(`UPDATE "AzureTenant" SET "defenderWatermark" = NULL`);
      await control("POST", "/_emulator/reset", { faults: false, counters: false, clock: false });

      keep(
        "floorFull",
        await measure(
          "floor, full (the ingestion's requests: tags; assessments with scores + compliance alongside; sub-assessments; governance — nothing stored)",
          () => floorPass(client, subs, { strategy: "resource-graph", withCompliance: true }),
        ),
      );
      let runId = await newRun(tenant.id);
      keep(
        "first",
        await measure("full ingestion #1 (empty database)", () => ingestDefender(tenant.id, { mode: "full", azure: azureConfig, runId })),
      );
      let counts = await countsOf(runId);
      console.log(
        `  stored ${(await db().finding.count()).toLocaleString()} findings; ${JSON.stringify({ strategy: counts.strategy, findings: counts.findings, skipped: counts.skipped ?? 0, errors: counts.errors ?? 0 })}; step timings (ms) ${JSON.stringify(counts.timings)}`,
      );
      const dbSize = (
        await pool().query<{ db: string; finding: string }>(
          `SELECT pg_size_pretty(pg_database_size(current_database())) AS db, pg_size_pretty(pg_total_relation_size('"Finding"')) AS finding`,
        )
      ).rows[0]!;
      console.log(`  database size ${dbSize.db} (Finding with its indexes ${dbSize.finding})`);
      if (values["first-only"]) continue;
      keep(
        "floorFull2",
        await measure("floor, full (again)", () => floorPass(client, subs, { strategy: "resource-graph", withCompliance: true })),
      );
      runId = await newRun(tenant.id);
      keep(
        "again",
        await measure("full ingestion #2 (nothing changed)", () => ingestDefender(tenant.id, { mode: "full", azure: azureConfig, runId })),
      );
      console.log(`  step timings (ms) ${JSON.stringify((await countsOf(runId)).timings)}`);

      const total = await db().finding.count();
      const changed = await control<{ changed: number }>("POST", "/_emulator/assessments/status", {
        count: Math.round(total / 100),
        status: "Healthy",
      });
      console.log(`  changed ${changed.changed} assessment statuses (1% of ${total.toLocaleString()})`);
      // The same window the pass asks Resource Graph for: changes since the watermark less its one-hour overlap.
      const { defenderWatermark } = await db().azureTenant.findUniqueOrThrow({ where: { id: tenant.id } });
      const since = defenderWatermark ? new Date(defenderWatermark.getTime() - 60 * 60_000) : null;
      keep(
        "floorIncremental",
        await measure(
          "floor, incremental (Resource Graph changes since the watermark with scores alongside; sub-assessments; governance)",
          () => floorPass(client, subs, { strategy: "resource-graph", withCompliance: false, since }),
        ),
      );
      runId = await newRun(tenant.id);
      keep(
        "incremental",
        await measure("incremental ingestion (1% changed)", () =>
          ingestDefender(tenant.id, { mode: "incremental", azure: azureConfig, runId }),
        ),
      );
      counts = await countsOf(runId);
      console.log(
        `  status changes recorded: ${(counts.findings as Record<string, number>).statusChanged}; step timings (ms) ${JSON.stringify(counts.timings)}`,
      );

      if (values.arm) {
        const pairs = (
          await pool().query<{ subscriptionId: string; recommendationKey: string }>(
            `SELECT DISTINCT "subscriptionId", "recommendationKey" FROM "Finding" WHERE "status" = 'Unhealthy' AND "removedAt" IS NULL ORDER BY 1, 2 LIMIT 200`,
          )
        ).rows;
        keep(
          "floorArm",
          await measure("floor, full through ARM (SecurityCenter, 100 per page)", () =>
            floorPass(client, subs, { strategy: "arm", withCompliance: true, governancePairs: pairs }),
          ),
        );
        runId = await newRun(tenant.id);
        keep(
          "arm",
          await measure("full ingestion through ARM (nothing changed)", () =>
            ingestDefender(tenant.id, { mode: "full", azure: azureConfig, runId, strategy: "arm" }),
          ),
        );
      }
    }
    const best = (key: string) => rounds[key]!.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const line = (label: string, key: string, floorKeys: string[]) => {
      const floor = floorKeys.map(best).reduce((a, b) => (b.seconds < a.seconds ? b : a));
      const m = best(key);
      const peak = Math.max(...rounds[key]!.map((r) => r.peakRssMiB));
      console.log(
        `${label}: best ${m.seconds.toFixed(2)} s vs floor ${floor.seconds.toFixed(2)} s → ${(m.seconds / floor.seconds).toFixed(2)}×; ${m.requests} requests; peak RSS ${peak.toFixed(0)} MiB`,
      );
    };
    console.log("— summary (best of the rounds)");
    line("first full ingestion", "first", values["first-only"] ? ["floorFull"] : ["floorFull", "floorFull2"]);
    if (!values["first-only"]) {
      line("full pass, nothing changed", "again", ["floorFull", "floorFull2"]);
      line("incremental pass, 1% changed", "incremental", ["floorIncremental"]);
      if (values.arm) line("full pass through ARM", "arm", ["floorArm"]);
    }
    console.log(
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    );
    await closeDb();
  } finally {
    emulators.kill("SIGTERM");
    await new Promise((resolve) => (emulators.exitCode !== null ? resolve(null) : emulators.once("exit", resolve)));
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
