// Reliability drills against the production shape (docs/RELIABILITY.md): one PostgreSQL, the
// emulators, two app processes (`next start`) and two standalone workers; each drill drives it through
// the HTTP API and checks the database and the emulators afterwards. Exits 1 when a drill fails.
//
//   npx tsx --conditions=react-server bench/drills/run.ts                 # every drill
//   npx tsx --conditions=react-server bench/drills/run.ts --ci            # the ones `npm test` runs
//   npx tsx --conditions=react-server bench/drills/run.ts scale-out crash # just these
//
// Needs the production build (`npm run build`). Logs: test-results/drills/drill-*.log (under
// `npm test`: test-results/logs, where the secret scan reads them); figures: test-results/drills/results.json.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ensureCertificates } from "@/emulators/common/tls";
import { type Cluster, startCluster } from "./cluster";
import { crashDrill } from "./crash";
import { dbRestartDrill } from "./db-restart";
import { faultsDrill } from "./faults";
import { emulatorControl } from "./http";
import { ROOT, tail } from "./procs";
import { type DrillContext, type DrillResult, keySlice, setUpTenant } from "./scenario";
import { scaleOutDrill } from "./scale-out";

type Drill = { name: string; isCi: boolean; run: (ctx: DrillContext) => Promise<DrillResult> };

// Order matters only for speed: each drill has its own connection and its own slice of recommendations.
const DRILLS: Drill[] = [
  { name: "scale-out", isCi: true, run: scaleOutDrill },
  { name: "crash", isCi: true, run: crashDrill },
  { name: "db-restart", isCi: true, run: dbRestartDrill },
  { name: "faults", isCi: true, run: (ctx) => faultsDrill(ctx, { matrix: "ci" }) },
  { name: "faults-matrix", isCi: false, run: (ctx) => faultsDrill(ctx, { matrix: "all" }) },
];
const SLICES = DRILLS.length;

const started = Date.now();
const log = (m: string) => process.stdout.write(`[drills ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${m}\n`);

async function main(): Promise<number> {
  // The emulators' CA must be trusted from the start (Node reads NODE_EXTRA_CA_CERTS once): re-run with it.
  const certs = ensureCertificates(path.join(ROOT, ".data", "certs"));
  if (process.env.NODE_EXTRA_CA_CERTS !== certs.bundlePath) {
    const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      stdio: "inherit",
      env: { ...process.env, NODE_EXTRA_CA_CERTS: certs.bundlePath },
    });
    return r.status ?? 1;
  }
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { ci: { type: "boolean", default: false } } });
  const unknown = positionals.filter((p) => !DRILLS.some((d) => d.name === p));
  if (unknown.length) throw new Error(`unknown drill(s): ${unknown.join(", ")}; drills: ${DRILLS.map((d) => d.name).join(", ")}`);
  const selected = DRILLS.filter((d) => (positionals.length ? positionals.includes(d.name) : values.ci ? d.isCi : d.name !== "faults"));

  let cluster: Cluster | undefined;
  const results: DrillResult[] = [];
  let failure: { drill: string; error: Error } | null = null;
  const stop = async () => {
    const c = cluster;
    cluster = undefined;
    await c?.stop().catch((e: Error) => log(`cleanup: ${e.message}`));
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void stop().then(() => process.exit(130)));
  try {
    cluster = await startCluster({ apps: 2, workers: 2, log });
    const control = emulatorControl(cluster.manifest);
    const tenant = await setUpTenant(cluster, log);
    results.push({
      name: "setup",
      seconds: (Date.now() - started) / 1000,
      figures: { "first ingestion": `${tenant.seconds.toFixed(1)} s` },
    });
    for (const drill of selected) {
      const keys = await keySlice(cluster, DRILLS.indexOf(drill), SLICES);
      log(`── ${drill.name} (${keys.length} recommendations)`);
      try {
        const result = await drill.run({ cluster, control, log, tenantId: tenant.tenantId, keys });
        results.push(result);
        log(`✓ ${drill.name} in ${result.seconds.toFixed(1)} s`);
      } catch (error) {
        failure = { drill: drill.name, error: error as Error };
        break;
      }
    }
  } catch (error) {
    failure = { drill: "setup", error: error as Error };
  }
  if (failure && cluster) {
    for (const p of [...cluster.apps, ...cluster.workers]) log(`${p.name} (pid ${p.pid}) last output:\n${tail(p, 8)}`);
    const { rows } = await cluster.sql
      .query(
        `SELECT "id", "kind", "trigger", "status", "phase", "queuedAt", "startedAt", "finishedAt", "error", "counts"->'rules' AS rules, "counts"->'attempt' AS attempt FROM "SyncRun" ORDER BY "queuedAt" DESC LIMIT 12`,
      )
      .catch(() => ({ rows: [] }));
    log(`latest runs:\n${rows.map((r) => JSON.stringify(r)).join("\n")}`);
  }
  await stop();

  const dir = path.join(ROOT, "test-results", "drills");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "results.json"),
    JSON.stringify(
      { at: new Date().toISOString(), results, failure: failure && { drill: failure.drill, message: failure.error.message } },
      null,
      2,
    ),
  );
  for (const r of results) {
    log(`${r.name}: ${r.seconds.toFixed(1)} s`);
    for (const [k, v] of Object.entries(r.figures)) log(`    ${k}: ${v}`);
  }
  if (failure) {
    log(`✗ ${failure.drill}: ${failure.error.stack ?? failure.error.message}`);
    return 1;
  }
  log(`✓ ${selected.length} drill(s) passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    log(error.stack ?? error.message);
    process.exit(1);
  },
);
