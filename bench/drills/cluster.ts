// The production shape on one machine, for the drills: one PostgreSQL (embedded, a throwaway
// cluster of its own), one set of emulators (in this process), N app processes (`next start` on the
// production build, WORKER_IN_PROCESS=false) and M standalone workers (`scripts/worker.ts`), all on
// the same DATABASE_URL, with an admin API token made by the admin CLI. The drills drive it through
// the apps' HTTP API and check the outcome in the database and the emulators.
//
// Needs the production build (`npm run build`) and NODE_EXTRA_CA_CERTS naming the emulators' CA bundle
// (run.ts re-runs itself with it).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmulators, type EmulatorManifest } from "@/emulators/index";
import type { SeedSize } from "@/emulators/seed/types";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { findFreePort } from "@/scripts/lib/ports";
import { killAllSync, type Proc, ROOT, spawnProc, stopProc, tail, WaitAborted, waitFor, waitForLogLine } from "./procs";

export type ClusterOptions = { apps?: number; workers?: number; seed?: number; size?: SeedSize; log?: (m: string) => void };

export type Cluster = Awaited<ReturnType<typeof startCluster>>;

const APP_NAMES = ["app-a", "app-b", "app-c", "app-d"];

export async function startCluster(options: ClusterOptions = {}) {
  const log = options.log ?? (() => {});
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) throw new Error("no production build: run `npm run build` first");
  if (!process.env.NODE_EXTRA_CA_CERTS)
    throw new Error("NODE_EXTRA_CA_CERTS must name the emulators' CA bundle (run the drills through bench/drills/run.ts)");
  const logDir = process.env.POSTUREDESK_TEST_LOG_DIR ?? path.join(ROOT, "test-results", "drills");
  mkdirSync(logDir, { recursive: true });
  for (const f of readdirSync(logDir)) if (/^drill-.*\.log$/.test(f)) rmSync(path.join(logDir, f));
  const secrets: Array<{ label: string; value: string }> = [];
  const addSecret = (label: string, value: string) => {
    secrets.push({ label, value });
    // Read by the secret scan at the end of `npm test`: none of these may appear in a log line.
    writeFileSync(path.join(logDir, "drills.secrets.json"), JSON.stringify(secrets, null, 2));
  };

  const cleanups: Array<() => Promise<void>> = [];
  const onExit = () => killAllSync();
  process.once("exit", onExit);

  const t0 = performance.now();
  const pgDir = await mkdtemp(path.join(tmpdir(), "posturedesk-drill-pg-"));
  cleanups.push(async () => rmSync(pgDir, { recursive: true, force: true }));
  // Persistent (fsync on, kept across a stop): the database-restart drill stops and starts it again.
  let server: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: pgDir, persistent: true });
  const port = server.port;
  const dbUrl = server.url;
  await migrate(dbUrl);
  const sql = new pg.Pool({ connectionString: dbUrl, max: 4, application_name: "drill-harness" });
  sql.on("error", () => {}); // idle connections die when the database restarts; the next query reconnects
  log(`PostgreSQL ${server.port} ready and migrated (${Math.round(performance.now() - t0)} ms)`);

  const emuDir = await mkdtemp(path.join(tmpdir(), "posturedesk-drill-emu-"));
  cleanups.push(async () => rmSync(emuDir, { recursive: true, force: true }));
  const emulators = await startEmulators({
    dataDir: emuDir,
    certDir: path.join(ROOT, ".data", "certs"),
    seed: options.seed ?? 42,
    size: options.size ?? "small",
    manifestPath: null,
  });
  const manifest: EmulatorManifest = emulators.manifest;

  const sessionSecret = randomBytes(32).toString("base64url");
  const encryptionKey = randomBytes(32).toString("base64");
  addSecret("drill SESSION_SECRET", sessionSecret);
  addSecret("drill ENCRYPTION_KEY", encryptionKey);
  addSecret("ServiceNow password", manifest.servicenow.password);
  addSecret("Azure service principal secret", manifest.entra.armServicePrincipal.clientSecret);
  addSecret("Entra dashboard client secret", manifest.entra.dashboardApp.clientSecret);

  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: dbUrl,
    DATABASE_POOL_MAX: "10",
    SESSION_SECRET: sessionSecret,
    ENCRYPTION_KEY: encryptionKey,
    ENTRA_AUTHORITY: manifest.entra.authority,
    ENTRA_CLIENT_ID: manifest.entra.dashboardApp.clientId,
    ENTRA_CLIENT_SECRET: manifest.entra.dashboardApp.clientSecret,
    ALLOW_PRIVATE_NETWORK: "true",
    WORKER_IN_PROCESS: "false",
    WORKER_CONCURRENCY: "2",
    LOG_LEVEL: "info",
    NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS,
  };
  delete baseEnv.LOG_FILE;
  delete baseEnv.PORT;

  const apps: Proc[] = [];
  const workers: Proc[] = [];
  // Like a process supervisor (Kubernetes, systemd, compose `restart: unless-stopped`): a process that
  // exits on its own is a crash — recorded, and replaced after a second. Drills decide whether a crash
  // is a failure.
  const crashes: Array<{ name: string; at: Date; output: string }> = [];
  let isStopping = false;
  const supervise = (proc: Proc) => {
    void proc.exited.then(async () => {
      if (proc.isStoppedByHarness || isStopping) return;
      crashes.push({ name: proc.name, at: new Date(), output: tail(proc, 12) });
      const list = proc.kind === "app" ? apps : workers;
      // Back off and try again while the cause lasts (a worker cannot start while the database is down).
      for (let attempt = 1; attempt <= 60 && !isStopping && list.includes(proc); attempt++) {
        await new Promise((r) => setTimeout(r, 1000 * Math.min(attempt, 3)));
        if (isStopping) return;
        const next = await (proc.kind === "app" ? startApp(proc.name, proc.port!) : startWorker(proc.name)).catch(() => null);
        if (next) {
          list[list.indexOf(proc)] = next;
          return;
        }
      }
    });
  };

  async function startApp(name: string, appPort?: number): Promise<Proc> {
    const p = appPort ?? (await findFreePort(3200 + Math.floor(Math.random() * 600)));
    const proc = spawnProc({ name, kind: "app", port: p, logDir, env: { ...baseEnv, PORT: String(p), APP_URL: `http://127.0.0.1:${p}` } });
    await waitFor(
      `${name} /api/ready`,
      async () => {
        if (!proc.isRunning()) throw new WaitAborted(`${name} exited: ${tail(proc)}`);
        const res = await fetch(`http://127.0.0.1:${p}/api/ready`, { signal: AbortSignal.timeout(3000) }).catch(() => null);
        return res?.status === 200;
      },
      120_000,
      250,
    );
    supervise(proc);
    return proc;
  }

  async function startWorker(name: string): Promise<Proc> {
    const proc = spawnProc({ name, kind: "worker", logDir, env: baseEnv });
    await waitForLogLine(proc, "worker started", 120_000);
    supervise(proc);
    return proc;
  }

  /** Replaces a stopped or killed process by a new one with the same name (and port, for an app). */
  async function restart(proc: Proc): Promise<Proc> {
    await stopProc(proc, "SIGKILL");
    const list = proc.kind === "app" ? apps : workers;
    const next = proc.kind === "app" ? await startApp(proc.name, proc.port!) : await startWorker(proc.name);
    list[list.indexOf(proc)] = next;
    return next;
  }

  const t1 = performance.now();
  // Everything starts at once on the empty database, as a deployment would: the workers race to
  // create pg-boss's schema and queues (lib/jobs/queues.ts serializes the queue creation; without it
  // pg-boss's create_queue deadlocks and a worker exits).
  // A token acts for a person: the operator who signed in once (here a seeded admin row).
  await sql.query(
    `INSERT INTO "User" ("oid", "tenantId", "name", "email", "role") VALUES ('drills-operator', 'drills', 'Drill Operator', 'drills@posturedesk.local', 'ADMIN') ON CONFLICT DO NOTHING`,
  );
  const [token] = await Promise.all([
    createAdminToken(baseEnv),
    ...Array.from({ length: options.apps ?? 2 }, async (_, i) => {
      apps[i] = await startApp(APP_NAMES[i]!);
    }),
    ...Array.from({ length: options.workers ?? 2 }, async (_, i) => {
      workers[i] = await startWorker(`worker-${i + 1}`);
    }),
  ]);
  log(
    `${apps.length} apps (${apps.map((a) => `${a.name} :${a.port} pid ${a.pid}`).join(", ")}) and ${workers.length} workers (${workers.map((w) => `pid ${w.pid}`).join(", ")}) ready in ${((performance.now() - t1) / 1000).toFixed(1)} s`,
  );

  return {
    manifest,
    dbUrl,
    sql,
    token: token as string,
    apps,
    workers,
    logDir,
    addSecret,
    /** Processes that exited without being asked to (each was restarted, as a supervisor would). */
    crashes,
    /** pg-boss jobs whose worker a drill killed: they stay "active" until pg-boss's (long) expiry. */
    killedJobs: new Set<string>(),
    startApp,
    startWorker,
    restart,
    /** Fast shutdown of PostgreSQL (what `pg_ctl stop -m fast` does): sessions are ended, nothing is lost. */
    async stopDatabase(): Promise<void> {
      await server.stop();
    },
    /** Starts PostgreSQL again on the same port and data. */
    async startDatabase(): Promise<void> {
      server = await startEmbeddedPostgres({ dataDir: pgDir, port, persistent: true });
    },
    emulators,
    async stop(): Promise<void> {
      isStopping = true;
      await Promise.all([...apps, ...workers].map((p) => stopProc(p, "SIGTERM", 5_000)));
      killAllSync();
      process.removeListener("exit", onExit);
      await sql.end().catch(() => {});
      await emulators.stop();
      await server.stop();
      for (const c of cleanups.reverse()) await c();
    },
  };
}

/** `npm run admin -- create-token` as an operator would run it; returns the token it prints once. */
function createAdminToken(env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--conditions=react-server",
        "--import",
        "tsx",
        "scripts/admin.ts",
        "create-token",
        "--role",
        "admin",
        "--owner",
        "drills@posturedesk.local",
        "--name",
        "drills",
        "--days",
        "1",
      ],
      {
        cwd: ROOT,
        env: { ...env, LOG_LEVEL: "silent" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.once("error", reject);
    child.once("exit", (code) => {
      const token = out.trim().split("\n").at(-1) ?? "";
      if (code === 0 && token.length > 20) resolve(token);
      else reject(new Error(`admin create-token failed (exit ${code}): ${err.trim()}`));
    });
  });
}
