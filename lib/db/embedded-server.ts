// The PostgreSQL processes behind lib/db/embedded.ts: initdb, the server itself, and its port.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync, statSync } from "node:fs";
import { chmod, chown, mkdir, rm, unlink, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readPostmasterPid, waitUntil, type RunAs } from "@/lib/db/embedded-process";

export const PG_USER = "postgres";
const READY_TIMEOUT_MS = 60_000;

/**
 * Starts on the fixed port, or on the remembered one if free, else on any free port; retries when
 * another program takes the port between our check and PostgreSQL's bind.
 */
export async function startOnSomePort(
  start: (port: number) => Promise<ChildProcess>,
  fixedPort: number | undefined,
  rememberedPort: number,
): Promise<{ child: ChildProcess; port: number }> {
  let candidate = rememberedPort;
  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ?? (candidate && (await isPortFree(candidate)) ? candidate : await freePort());
    try {
      return { child: await start(port), port };
    } catch (error) {
      const isPortTaken = /could not (bind|create listen socket)|Address already in use/i.test(String(error));
      if (!isPortTaken || fixedPort || attempt >= 3) throw error;
      candidate = 0;
    }
  }
}

export async function initCluster(o: {
  clusterDir: string;
  logFile: string;
  password: string;
  runAs: RunAs;
  initdb: string;
  isPersistent: boolean;
}) {
  // PG_VERSION is written last: a cluster without it is a failed earlier init, with no data in it.
  await rm(o.clusterDir, { recursive: true, force: true });
  await mkdir(o.clusterDir, { mode: 0o700 });
  const pwfile = join(tmpdir(), `posturedesk-pg-${randomBytes(6).toString("hex")}`);
  await writeFile(pwfile, `${o.password}\n`, { mode: 0o600 });
  if (o.runAs) {
    await chown(o.clusterDir, o.runAs.uid, o.runAs.gid);
    await chown(pwfile, o.runAs.uid, o.runAs.gid);
  }
  await chmod(o.clusterDir, 0o700);
  try {
    const args = [
      `--pgdata=${o.clusterDir}`,
      `--username=${PG_USER}`,
      `--pwfile=${pwfile}`,
      "--auth=scram-sha-256",
      "--encoding=UTF8",
      // C collation: identical sorting on every machine, no dependence on installed OS locales.
      "--locale=C",
      "--no-instructions",
      ...(o.isPersistent ? [] : ["--no-sync"]),
    ];
    const code = await new Promise<number | null>((resolvePromise, reject) => {
      const fd = openSync(o.logFile, "a", 0o600);
      const child = spawn(o.initdb, args, { ...(o.runAs ?? {}), stdio: ["ignore", fd, fd], env: pgEnv() });
      closeSync(fd);
      child.once("error", reject);
      child.once("exit", (exitCode) => resolvePromise(exitCode));
    });
    if (code !== 0) throw new Error(`initdb failed (exit ${code}): ${logTail(o.logFile)}`);
  } finally {
    await unlink(pwfile).catch(() => {});
  }
}

export async function startServer(o: {
  binary: string;
  clusterDir: string;
  logFile: string;
  port: number;
  runAs: RunAs;
  isPersistent: boolean;
}): Promise<ChildProcess> {
  const settings: Record<string, string> = {
    listen_addresses: "127.0.0.1",
    // TCP only: no socket file in /tmp or /var/run that another cluster or user could collide with.
    unix_socket_directories: "",
    max_connections: "200",
    ...(o.isPersistent ? {} : { fsync: "off", synchronous_commit: "off", full_page_writes: "off" }),
  };
  const args = ["-D", o.clusterDir, "-p", String(o.port), ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
  const logOffset = existsSync(o.logFile) ? statSync(o.logFile).size : 0;
  const fd = openSync(o.logFile, "a", 0o600);
  // Same process group as us: Ctrl-C in a terminal reaches PostgreSQL too, which then shuts down cleanly.
  const child = spawn(o.binary, args, { ...(o.runAs ?? {}), stdio: ["ignore", fd, fd], env: pgEnv() });
  closeSync(fd);
  let exit: string | null = null;
  child.once("exit", (code, signal) => {
    exit = `exit ${code ?? signal}`;
  });
  child.once("error", (error) => {
    exit = error.message;
  });
  const isReady = await waitUntil(() => {
    if (exit) return true;
    const info = readPostmasterPid(o.clusterDir);
    return info !== null && info.pid === child.pid && info.isReady;
  }, READY_TIMEOUT_MS);
  if (exit || !isReady) {
    if (!exit) await stopServer(child);
    throw new Error(`PostgreSQL did not start (${exit ?? "timeout"}): ${logTail(o.logFile, logOffset)}`);
  }
  return child;
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolvePromise) => child.once("exit", () => resolvePromise()));
  for (const [signal, waitMs] of [
    ["SIGINT", 30_000],
    ["SIGQUIT", 5_000],
    ["SIGKILL", 5_000],
  ] as const) {
    child.kill(signal);
    const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), waitMs).unref())]);
    if (done) return;
  }
}

function pgEnv(): NodeJS.ProcessEnv {
  // English server messages whatever the user's locale (we match a few of them).
  return { ...process.env, LC_MESSAGES: "C", LC_ALL: "C" };
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once("error", () => resolvePromise(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolvePromise(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePromise(port));
    });
  });
}

function logTail(logFile: string, fromOffset = 0): string {
  try {
    const text = readFileSync(logFile, "utf8").slice(fromOffset);
    return text.trim().split("\n").slice(-8).join("\n") || "(no output)";
  } catch {
    return "(no log)";
  }
}
