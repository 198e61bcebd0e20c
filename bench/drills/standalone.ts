// Standalone image check (not in `npm test`: it costs a second production build, 1.5–3 min here):
// builds the Next.js standalone output the Dockerfile ships (NEXT_OUTPUT_STANDALONE=1) in a copy of
// the tree, lays it out as the image does (server.js + .next/static + public + prisma/migrations),
// then starts TWO instances at once with the image's settings (MIGRATE_ON_START=true,
// WORKER_IN_PROCESS=true) on one empty PostgreSQL and checks: both answer /api/health and /api/ready,
// every migration was applied once, each instance's in-process worker started.
//
//   npx tsx --conditions=react-server bench/drills/standalone.ts [--keep]
//
// The copy lives in a temporary directory outside the tree (inside it, Next would take the outer
// lockfile for the workspace root); node_modules is hard-linked, not copied (it must be on the same
// filesystem as the checkout). --keep leaves the copy for inspection.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cpSync, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { findFreePort } from "@/scripts/lib/ports";
import { expectThat } from "./expect";
import { ROOT, waitFor } from "./procs";

const { values } = parseArgs({ options: { keep: { type: "boolean", default: false } } });
const SKIP = new Set(["node_modules", ".next", ".data", ".git", "test-results", "playwright-report", "coverage"]);
const started = Date.now();
const log = (m: string) => process.stdout.write(`[standalone ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${m}\n`);

function copyTree(dest: string): void {
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  for (const entry of readdirSync(ROOT)) {
    if (SKIP.has(entry) || entry.endsWith(".tsbuildinfo")) continue;
    cpSync(path.join(ROOT, entry), path.join(dest, entry), { recursive: true });
  }
  // Hard links: instant, no extra space (a symlinked node_modules is refused by Turbopack).
  execFileSync("cp", ["-al", path.join(ROOT, "node_modules"), path.join(dest, "node_modules")]);
}

function build(dir: string): void {
  const t = Date.now();
  execFileSync(process.execPath, [path.join(dir, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: dir,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", NEXT_OUTPUT_STANDALONE: "1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  log(`standalone build in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  // What the Dockerfile copies next to server.js.
  const out = path.join(dir, ".next", "standalone");
  cpSync(path.join(dir, ".next", "static"), path.join(out, ".next", "static"), { recursive: true });
  cpSync(path.join(dir, "public"), path.join(out, "public"), { recursive: true });
  cpSync(path.join(dir, "prisma", "migrations"), path.join(out, "prisma", "migrations"), { recursive: true });
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "posturedesk-standalone-"));
  copyTree(dir);
  build(dir);
  const server = await startEmbeddedPostgres({
    dataDir: await mkdtemp(path.join(tmpdir(), "posturedesk-standalone-pg-")),
    persistent: false,
  });
  const children: ChildProcess[] = [];
  try {
    const instances = await Promise.all(
      ["one", "two"].map(async (name, i) => {
        const port = await findFreePort(4100 + i * 50);
        const logPath = path.join(dir, `server-${name}.log`);
        // Only what the image's environment holds (Dockerfile ENV + compose.yaml), nothing from this shell.
        const child = spawn(process.execPath, ["server.js"], {
          cwd: path.join(dir, ".next", "standalone"),
          env: {
            PATH: process.env.PATH,
            NODE_ENV: "production",
            NEXT_TELEMETRY_DISABLED: "1",
            PORT: String(port),
            HOSTNAME: "127.0.0.1",
            MIGRATE_ON_START: "true",
            WORKER_IN_PROCESS: "true",
            DATABASE_URL: server.url,
            APP_URL: `http://127.0.0.1:${port}`,
            SESSION_SECRET: "standalone-check-session-secret-0123456789",
            ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
            ENTRA_AUTHORITY: "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000",
            ENTRA_CLIENT_ID: "standalone-check",
            ENTRA_CLIENT_SECRET: "standalone-check",
          },
          stdio: ["ignore", "pipe", "pipe"],
        });
        const out = createWriteStream(logPath);
        child.stdout!.pipe(out);
        child.stderr!.pipe(out);
        children.push(child);
        return { name, port, child, logPath };
      }),
    );
    for (const inst of instances) {
      const ms = await waitFor(
        `instance ${inst.name} ready`,
        async () => {
          if (inst.child.exitCode !== null)
            throw new Error(`instance ${inst.name} exited: ${readFileSync(inst.logPath, "utf8").slice(-2000)}`);
          const res = await fetch(`http://127.0.0.1:${inst.port}/api/ready`).catch(() => null);
          return res?.status === 200 ? Date.now() - started : undefined;
        },
        120_000,
        250,
      );
      const health = await fetch(`http://127.0.0.1:${inst.port}/api/health`);
      expectThat(health.status === 200, `instance ${inst.name}: /api/health answered ${health.status}`);
      log(`instance ${inst.name} (:${inst.port}) healthy and ready`);
      void ms;
    }
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const applied = (
      await client.query<{ migration_name: string }>(`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL`)
    ).rows.map((r) => r.migration_name);
    const expected = readdirSync(path.join(ROOT, "prisma", "migrations")).filter((d) => /^\d+_/.test(d));
    expectThat(
      applied.length === expected.length && expected.every((m) => applied.includes(m)),
      `migrations applied: ${applied.join(", ")}; expected ${expected.join(", ")}`,
    );
    const queues = (await client.query<{ name: string }>(`SELECT name FROM pgboss.queue ORDER BY 1`)).rows.map((r) => r.name);
    await client.end();
    log(`${applied.length} migrations applied once; pg-boss queues: ${queues.join(", ")}`);
    await waitFor(
      "both in-process workers to start",
      () => instances.every((inst) => readFileSync(inst.logPath, "utf8").includes('"msg":"worker started"')),
      30_000,
      500,
    ).catch(() => {
      const failed = instances.filter((inst) => !readFileSync(inst.logPath, "utf8").includes('"msg":"worker started"'));
      throw new Error(
        `in-process worker did not start on ${failed.map((f) => f.name).join(", ")}: ${failed
          .map((f) =>
            readFileSync(f.logPath, "utf8")
              .split("\n")
              .filter((l) => l.includes("worker"))
              .join(" "),
          )
          .join(" | ")}`,
      );
    });
    log("✓ standalone output: two instances started at once, migrated once, both ready, both workers running");
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
    await Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once("exit", r)))));
    await server.stop();
    if (values.keep) log(`kept ${dir}`);
    else if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    log(`✗ ${error.message}`);
    process.exit(1);
  },
);
