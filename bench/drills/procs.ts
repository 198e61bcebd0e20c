// Child processes of a drill: the production app (`next start`) and standalone workers
// (`scripts/worker.ts`), each with its output in a log file of its own. Every process is tracked by
// PID and ended by PID (SIGTERM, or SIGKILL when a drill wants a crash) — never by name.
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");

export type ProcKind = "app" | "worker";

export type Proc = {
  name: string;
  kind: ProcKind;
  /** HTTP port (apps only). */
  port: number | null;
  child: ChildProcess;
  pid: number;
  logPath: string;
  /** Resolves when the process has exited (by itself or killed). */
  exited: Promise<void>;
  isRunning(): boolean;
  /** True once the harness itself stopped or killed it (an exit it did not ask for is a crash). */
  isStoppedByHarness: boolean;
};

const live = new Set<Proc>();

export type SpawnOptions = { name: string; kind: ProcKind; port?: number; env: NodeJS.ProcessEnv; logDir: string };

export function spawnProc(options: SpawnOptions): Proc {
  mkdirSync(options.logDir, { recursive: true });
  const logPath = path.join(options.logDir, `drill-${options.name}.log`);
  const args =
    options.kind === "app"
      ? [path.join(ROOT, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(options.port), "-H", "127.0.0.1"]
      : ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  if (!child.pid) throw new Error(`could not start ${options.name}`);
  // Appending: a restarted process (same name) continues the same file, so the log tells the whole story.
  const out = createWriteStream(logPath, { flags: "a" });
  child.stdout!.pipe(out, { end: false });
  child.stderr!.pipe(out, { end: false });
  let isDone = false;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      isDone = true;
      live.delete(proc);
      resolve();
    });
  });
  const proc: Proc = {
    name: options.name,
    kind: options.kind,
    port: options.port ?? null,
    child,
    pid: child.pid,
    logPath,
    exited,
    isRunning: () => !isDone,
    isStoppedByHarness: false,
  };
  live.add(proc);
  return proc;
}

/** Ends one process by its PID and waits for it; SIGTERM is escalated to SIGKILL after `graceMs`. */
export async function stopProc(proc: Proc, signal: "SIGTERM" | "SIGKILL" = "SIGTERM", graceMs = 10_000): Promise<void> {
  proc.isStoppedByHarness = true;
  if (!proc.isRunning()) return;
  proc.child.kill(signal);
  if (signal === "SIGKILL") return proc.exited;
  const timer = setTimeout(() => proc.isRunning() && proc.child.kill("SIGKILL"), graceMs);
  await proc.exited;
  clearTimeout(timer);
}

/** Last resort on exit or failure: SIGKILL every process this drill run started that is still alive. */
export function killAllSync(): void {
  for (const proc of live) {
    try {
      process.kill(proc.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  live.clear();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Thrown by a probe to stop waiting at once (the process being waited for died). */
export class WaitAborted extends Error {}

/** Polls `probe` until it returns a value (not undefined/false) or the deadline passes. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      if (error instanceof WaitAborted) throw error;
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ""}`,
      );
    await sleep(everyMs);
  }
}

export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

/** The JSON log lines (pino) a process wrote; other output (Next's banner) is skipped. */
export function logLines(proc: Pick<Proc, "logPath">): LogLine[] {
  if (!existsSync(proc.logPath)) return [];
  const out: LogLine[] = [];
  for (const line of readFileSync(proc.logPath, "utf8").split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      out.push(JSON.parse(line) as LogLine);
    } catch {
      // a line cut by SIGKILL
    }
  }
  return out;
}

/** Waits until the process wrote a log line with this message (e.g. the worker's "worker started"). */
export function waitForLogLine(proc: Proc, msg: string, timeoutMs: number): Promise<LogLine> {
  return waitFor(
    `"${msg}" from ${proc.name}`,
    () => {
      if (!proc.isRunning()) throw new WaitAborted(`${proc.name} exited: ${tail(proc)}`);
      return logLines(proc).find((l) => l.msg === msg);
    },
    timeoutMs,
    250,
  );
}

/** The last lines of a process' output, for error messages. */
export function tail(proc: Pick<Proc, "logPath">, lines = 15): string {
  if (!existsSync(proc.logPath)) return "(no output)";
  return readFileSync(proc.logPath, "utf8").trim().split("\n").slice(-lines).join("\n");
}
