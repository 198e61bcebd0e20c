// Lifecycle of the embedded PostgreSQL. Each test runs its own cluster in a temp directory (not the
// suite's shared server), some of them inside a child process that the test kills.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded";
import {
  clusterDirFor,
  isAlive,
  postgresProcessesOf,
  postgresRunAs,
  reachableBinaries,
  unreachableAncestor,
  waitUntil,
} from "@/lib/db/embedded-process";

const isRoot = process.getuid?.() === 0;
const dirs: string[] = [];
const children: ChildProcess[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "pd-embedded-"));
  dirs.push(dir);
  return dir;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

type ChildInfo = { pid: number; port: number; url: string; uid: number; nodePid: number };

/** Runs lib/db/testing/embedded-child.ts (optionally as the `postgres` user); resolves once ready. */
function startChild(dataDir: string, asUser?: string): Promise<{ child: ChildProcess; info: ChildInfo }> {
  // tsx as a loader of this very node process (its CLI would add a wrapper process we'd kill instead).
  const node = [process.execPath, "--import", "tsx", "lib/db/testing/embedded-child.ts", dataDir];
  const child = asUser ? spawn("runuser", ["-u", asUser, "--", ...node]) : spawn(node[0]!, node.slice(1));
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve({ child, info: JSON.parse(line) as ChildInfo });
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`child exited (${code}) before it was ready: ${output}`)));
  });
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once("exit", () => r()));

async function expectGone(server: { dataDir: string; port: number }) {
  expect(postgresProcessesOf(join(server.dataDir, "cluster"))).toEqual([]);
  await expect(query(`postgresql://postgres:x@127.0.0.1:${server.port}/postgres`, "SELECT 1")).rejects.toThrow(/ECONNREFUSED/);
}

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  await Promise.all(children.map(exited));
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("a persistent cluster", () => {
  let dataDir: string;
  let server: EmbeddedPostgres;
  const messages: string[] = [];

  beforeAll(async () => {
    dataDir = await tempDir();
  });

  test("starts a new cluster with the application database, logging to a file, and stops without leftovers", async () => {
    server = await startEmbeddedPostgres({ dataDir, log: (m) => messages.push(m) });

    expect(server.timings.initMs).toEqual(expect.any(Number));
    expect(server.url).toMatch(new RegExp(`^postgresql://postgres:[^@]+@127\\.0\\.0\\.1:${server.port}/posturedesk$`));
    expect(await query(server.url, "SELECT current_database() AS db, current_setting('server_version_num')::int >= 140000 AS ok")).toEqual([
      { db: "posturedesk", ok: true },
    ]);
    expect(await readFile(server.logFile, "utf8")).toContain("database system is ready to accept connections");
    // Our messages only; PostgreSQL's own output stays in the file.
    expect(messages.join("\n")).not.toContain("database system is ready");
    expect(postgresProcessesOf(join(dataDir, "cluster"))).toContain(server.pid);

    await query(server.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
    await server.stop();

    await expectGone(server);
    expect(JSON.parse(await readFile(join(dataDir, "state.json"), "utf8"))).toMatchObject({ port: server.port, ownerPid: null });
  });

  test("keeps its data and port across stop and start, without initialising again", async () => {
    const previousPort = server.port;
    server = await startEmbeddedPostgres({ dataDir });

    expect(server.timings.initMs).toBeNull();
    expect(server.port).toBe(previousPort);
    expect(await query(server.url, "SELECT v FROM kept")).toEqual([{ v: "still here" }]);
    await server.stop();
  });

  test("picks another port when the remembered one is taken", async () => {
    const taken = server.port;
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(taken, "127.0.0.1", resolve));
    try {
      server = await startEmbeddedPostgres({ dataDir });
      expect(server.port).not.toBe(taken);
      expect(await query(server.url, "SELECT v FROM kept")).toEqual([{ v: "still here" }]);
      expect(JSON.parse(await readFile(join(dataDir, "state.json"), "utf8")).port).toBe(server.port);
      await server.stop();
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  test("ignores a stale postmaster.pid naming a live process that is not PostgreSQL", async () => {
    // Our own pid: alive, but not a postmaster. PostgreSQL alone would refuse to start.
    await writeFile(
      join(dataDir, "cluster", "postmaster.pid"),
      `${process.pid}\n${join(dataDir, "cluster")}\n0\n5432\n\n127.0.0.1\n0 0\nready\n`,
    );
    server = await startEmbeddedPostgres({ dataDir });
    expect(await query(server.url, "SELECT v FROM kept")).toEqual([{ v: "still here" }]);
    await server.stop();
    await expectGone(server);
  });
});

test("recovers when the process that ran it was killed with SIGKILL", async () => {
  const dataDir = await tempDir();
  const { child, info } = await startChild(dataDir);
  await query(info.url, "CREATE TABLE t (v int); INSERT INTO t VALUES (7)");

  child.kill("SIGKILL");
  await exited(child);
  // PostgreSQL outlives its parent: the next start finds an orphan holding the cluster.
  expect(isAlive(info.pid)).toBe(true);

  const server = await startEmbeddedPostgres({ dataDir });
  expect(server.pid).not.toBe(info.pid);
  expect(await waitUntil(() => !isAlive(info.pid), 5_000)).toBe(true);
  expect(await query(server.url, "SELECT v FROM t")).toEqual([{ v: 7 }]);
  await server.stop();
  await expectGone(server);
});

test("shares the server another live process runs, and leaves it running on stop()", async () => {
  const dataDir = await tempDir();
  const { child, info } = await startChild(dataDir);

  const shared = await startEmbeddedPostgres({ dataDir });
  expect(shared).toMatchObject({ isShared: true, port: info.port, pid: info.pid });
  await shared.stop();
  expect(await query(info.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);

  child.kill("SIGTERM");
  await exited(child);
  expect(child.exitCode).toBe(0);
  await expectGone({ dataDir, port: info.port });
});

test("a non-persistent cluster is removed with its directory on stop()", async () => {
  const dataDir = await tempDir();
  const server = await startEmbeddedPostgres({ dataDir, persistent: false });
  expect(await query(server.url, "SELECT current_setting('fsync') AS fsync")).toEqual([{ fsync: "off" }]);
  await server.stop();
  await expect(readFile(join(dataDir, "state.json"))).rejects.toThrow(/ENOENT/);
  await expectGone(server);
});

test.skipIf(!isRoot)(
  "as root, a data directory under a private (0700) folder works: the cluster lives where the postgres user can reach it",
  async () => {
    // mkdtemp makes a 0700 directory owned by root: the postgres user cannot traverse it.
    const privateDir = await tempDir();
    expect(statSync(privateDir).mode & 0o777).toBe(0o700);
    const dataDir = join(privateDir, "nested", "pg");
    const server = await startEmbeddedPostgres({ dataDir, persistent: false });
    try {
      expect(await query(server.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
      const relocated = (await clusterDirFor(dataDir, postgresRunAs())).clusterDir;
      expect(relocated.startsWith("/var/lib/posturedesk/clusters/")).toBe(true);
      expect(postgresProcessesOf(relocated)).toContain(server.pid);
      // state.json and the log stay in the data directory.
      expect(JSON.parse(await readFile(join(dataDir, "state.json"), "utf8"))).toMatchObject({ port: server.port });
    } finally {
      await server.stop();
    }
    await expect(stat((await clusterDirFor(dataDir, postgresRunAs())).clusterDir)).rejects.toThrow(/ENOENT/);
  },
);

test.skipIf(!isRoot)("as root, binaries the postgres user cannot reach are run from a reachable copy", async () => {
  // A stand-in for the npm package's native/ directory, inside a private folder.
  const native = join(await tempDir(), "native");
  await mkdir(join(native, "bin"), { recursive: true });
  await mkdir(join(native, "lib"), { recursive: true });
  await writeFile(join(native, "bin", "initdb"), "#!/bin/sh\n", { mode: 0o755 });
  await writeFile(join(native, "bin", "postgres"), "#!/bin/sh\n", { mode: 0o755 });
  await writeFile(join(native, "lib", "libpq.so"), "x", { mode: 0o644 });
  const root = await mkdtemp(join(tmpdir(), "pd-reachable-"));
  dirs.push(root);
  const copied = await reachableBinaries(
    { initdb: join(native, "bin", "initdb"), postgres: join(native, "bin", "postgres") },
    postgresRunAs(),
    root,
  );
  expect(copied.isCopied).toBe(true);
  expect(copied.postgres.startsWith(root)).toBe(true);
  expect(statSync(copied.postgres).mode & 0o777).toBe(0o755);
  expect(existsSync(join(dirname(dirname(copied.postgres)), "lib", "libpq.so"))).toBe(true);
  expect(unreachableAncestor(copied.postgres, postgresRunAs()!)).toBeNull();
  // Made once: a second start reuses the copy.
  expect(
    (await reachableBinaries({ initdb: join(native, "bin", "initdb"), postgres: join(native, "bin", "postgres") }, postgresRunAs(), root))
      .postgres,
  ).toBe(copied.postgres);
});

// As root, PostgreSQL runs as the `postgres` user (all tests above); this one runs the whole thing
// as that normal user. When the suite itself runs as a normal user, every test above covers it.
test.skipIf(!isRoot)("runs for a normal (non-root) user in a directory that user owns", async () => {
  const owner = postgresRunAs()!;
  const home = await tempDir();
  await chown(home, owner.uid, owner.gid);
  const { child, info } = await startChild(join(home, "pg"), "postgres");

  expect(info.uid).toBe(owner.uid);
  expect(await query(info.url, "SELECT current_user AS u")).toEqual([{ u: "postgres" }]);
  // Signal the node process itself (runuser would re-raise the signal instead of exiting 0).
  process.kill(info.nodePid, "SIGTERM");
  await exited(child);
  expect(child.exitCode).toBe(0);
  await expectGone({ dataDir: join(home, "pg"), port: info.port });
});
