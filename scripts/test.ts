// npm test — the full test run: lint, typecheck, unit, integration (embedded PostgreSQL + emulators,
// started and removed by the run), production build, end-to-end (Playwright in Chromium), reliability
// drills (two app processes and two workers on one database: scale-out, crashes, a database restart,
// external faults — bench/drills, docs/RELIABILITY.md).
// `npm test -- unit integration` runs only the named steps.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { ensureCertificates } from "@/emulators/common/tls";
import { findChromium, NO_CHROMIUM_MESSAGE } from "@/scripts/lib/chromium";
import { isBuildCurrent, runBuild } from "@/scripts/lib/build";
import { scanDirectory } from "@/scripts/lib/secret-scan";

const root = path.resolve(__dirname, "..");
// Logs of the product and API responses seen by the tests, scanned for seeded secrets at the end.
const logDir = path.join(root, "test-results", "logs");
process.env.POSTUREDESK_TEST_LOG_DIR = logDir;
process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING = "true";
const bin = (pkg: string, file: string) => path.join(root, "node_modules", pkg, file);

type Step = { name: string; run: () => Promise<void> };

/**
 * Runs a Node script of node_modules. `quiet`: its output is held and printed when it ends, so a step
 * running beside another one does not interleave its lines with the other's.
 */
function exec(args: string[], env: Record<string, string> = {}, quiet = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
      env: { ...process.env, ...env },
    });
    const held: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => held.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => held.push(chunk));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (held.length) process.stdout.write(Buffer.concat(held));
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(args[0])} ${args.slice(1).join(" ")} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

async function buildIfStale(): Promise<void> {
  if (isBuildCurrent(root)) return console.log("production build is current");
  await runBuild(root);
}

const ESLINT = [bin("eslint", "bin/eslint.js"), "--max-warnings", "0", "."];
const PRETTIER_CHECK = [bin("prettier", "bin/prettier.cjs"), "--check", "--log-level", "warn", "."];
const TSC = [bin("typescript", "bin/tsc"), "--noEmit", "-p", "."];

const STEPS: Step[] = [
  {
    // ESLint (boundaries included) and Prettier, as `npm run lint`; the type check runs beside them
    // (each keeps one of the two cores busy), its output printed when it ends.
    name: "lint",
    run: async () => {
      const typecheck = selected("typecheck") ? exec(TSC, {}, true) : Promise.resolve();
      const lint = exec(ESLINT).then(() => exec(PRETTIER_CHECK));
      await Promise.all([lint, typecheck.then(() => (typecheckPassed = selected("typecheck")))]);
    },
  },
  {
    name: "typecheck",
    run: async () => {
      if (typecheckPassed) return console.log("the type check passed beside the lint step");
      await exec(TSC);
    },
  },
  { name: "unit", run: () => exec([bin("vitest", "vitest.mjs"), "run", "--project", "unit"]) },
  {
    // The production build needs only the sources: it runs beside the integration tests, which leave a
    // core partly idle (they wait on PostgreSQL and the emulators) — docs/PERFORMANCE.md, "Test run time".
    name: "integration",
    run: async () => {
      const build = selected("build") ? buildIfStale().then(() => (buildDone = true)) : Promise.resolve();
      // Both are awaited, so a failing build is reported even when the tests fail too.
      const [tests, built] = await Promise.allSettled([exec([bin("vitest", "vitest.mjs"), "run", "--project", "integration"]), build]);
      if (tests.status === "rejected") throw tests.reason;
      if (built.status === "rejected")
        throw new Error(`the production build beside the integration tests failed: ${(built.reason as Error).message}`);
    },
  },
  {
    name: "build",
    run: async () => {
      if (buildDone) return console.log("the production build ran beside the integration step");
      await buildIfStale();
    },
  },
  {
    name: "e2e",
    run: async () => {
      if (!findChromium()) {
        // Playwright's own browser is the last resort; the config fails with the same advice if absent.
        console.warn(NO_CHROMIUM_MESSAGE);
      }
      await exec([bin("@playwright/test", "cli.js"), "test"]);
    },
  },
  {
    // The production shape (2 × `next start`, 2 × scripts/worker.ts, one PostgreSQL) under the drills
    // that fit the time budget (~3 min); the heavier ones run on demand (docs/RELIABILITY.md).
    name: "drills",
    run: async () => {
      if (!isBuildCurrent(root)) await runBuild(root);
      // Node reads NODE_EXTRA_CA_CERTS once, at start: the drills talk HTTPS to the emulators.
      const ca = ensureCertificates(path.join(root, ".data", "certs")).bundlePath;
      await exec([bin("tsx", "dist/cli.mjs"), "--conditions=react-server", "bench/drills/run.ts", "--ci"], { NODE_EXTRA_CA_CERTS: ca });
    },
  },
  {
    name: "secrets",
    run: async () => {
      const result = scanDirectory(logDir);
      if (result.files === 0 || result.secrets === 0) {
        console.log("no logs or seeded secrets recorded by the steps that ran; nothing to scan");
        return;
      }
      console.log(
        `scanned ${result.files} log/response files (${(result.bytes / 1e6).toFixed(1)} MB) for ${result.secrets} seeded secrets`,
      );
      if (result.hits.length) {
        for (const hit of result.hits.slice(0, 50)) console.error(`  ${hit.label} found in ${hit.file}:${hit.line}`);
        throw new Error(`${result.hits.length} seeded secret(s) leaked into logs or API responses`);
      }
    },
  },
];

const only = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const selected = (name: string) => !only.length || only.includes(name);
/** Set when the lint step ran the type check beside it. */
let typecheckPassed = false;
/** Set when the integration step ran the production build beside it. */
let buildDone = false;

async function main(): Promise<void> {
  const unknown = only.filter((n) => !STEPS.some((s) => s.name === n));
  if (unknown.length) throw new Error(`unknown step(s): ${unknown.join(", ")}; steps: ${STEPS.map((s) => s.name).join(", ")}`);
  const steps = only.length ? STEPS.filter((s) => only.includes(s.name)) : STEPS;
  if (!only.length || only.includes("integration") || only.includes("e2e") || only.includes("drills"))
    rmSync(logDir, { recursive: true, force: true });
  const timings: string[] = [];
  const started = Date.now();
  for (const step of steps) {
    const t = Date.now();
    console.log(`\n━━ ${step.name} ━━`);
    try {
      await step.run();
    } catch (error) {
      console.error(`\n✗ ${step.name}: ${(error as Error).message}`);
      process.exit(1);
    }
    timings.push(`${step.name} ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
  console.log(`\n✓ all steps passed in ${((Date.now() - started) / 1000).toFixed(0)} s (${timings.join(", ")})`);
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
