// npm start — the one-command launcher.
//
// Embedded default (no DATABASE_URL, no ENTRA_AUTHORITY): local secrets, embedded PostgreSQL under
// .data/pg, the emulators with demo data, migrations, demo connections and a first ingestion, then the
// app (with its in-process worker). Production: DATABASE_URL and the Entra/secret variables come
// from the environment; nothing is started besides the app.
// Ctrl-C (SIGINT) or SIGTERM stops everything in reverse order.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { ensureCertificates } from "@/emulators/common/tls";
import { buildIfNeeded } from "@/scripts/lib/build";
import { findFreePort } from "@/scripts/lib/ports";
import { loadLocalSecrets } from "@/scripts/lib/local-secrets";
import { printBanner } from "@/scripts/lib/banner";
import { rememberedPorts, rememberPorts, saveSnapshot } from "@/scripts/lib/emulator-state";

const root = path.resolve(__dirname, "..");
// POSTUREDESK_DATA_DIR lets a second instance (the e2e run) keep its own database and emulators.
const dataDir = path.resolve(root, process.env.POSTUREDESK_DATA_DIR ?? ".data");
const started = Date.now();

function log(message: string): void {
  const s = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
  process.stdout.write(`[start ${s}s] ${message}\n`);
}

const isEmbeddedDb = !process.env.DATABASE_URL;
const useEmulators = !process.env.ENTRA_AUTHORITY;

async function main(): Promise<void> {
  // A throwaway instance (the e2e run) starts from nothing; only ever a folder under .data/.
  if (process.env.POSTUREDESK_FRESH_DATA === "1" && !process.env.POSTUREDESK_FRESH_DONE) {
    if (!dataDir.startsWith(path.join(root, ".data") + path.sep))
      throw new Error("POSTUREDESK_FRESH_DATA needs POSTUREDESK_DATA_DIR inside .data/");
    rmSync(dataDir, { recursive: true, force: true });
    process.env.POSTUREDESK_FRESH_DONE = "1";
  }
  // The emulators' CA must be trusted by this process (MSAL reads NODE_EXTRA_CA_CERTS at start only):
  // re-run ourselves once with it set.
  if (useEmulators) {
    const certs = ensureCertificates(path.join(dataDir, "certs"));
    if (process.env.NODE_EXTRA_CA_CERTS !== certs.bundlePath) {
      const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
        stdio: "inherit",
        env: { ...process.env, NODE_EXTRA_CA_CERTS: certs.bundlePath },
      });
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
      child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
      return;
    }
  }

  const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
  let isStopping = false;
  const shutdown = async (code: number) => {
    if (isStopping) return;
    isStopping = true;
    log("stopping…");
    for (const { name, stop } of stops.reverse()) {
      try {
        await stop();
        log(`stopped ${name}`);
      } catch (error) {
        log(`failed to stop ${name}: ${(error as Error).message}`);
      }
    }
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  try {
    const port = Number(process.env.PORT ?? 0) || (await findFreePort(3000));
    const appUrl = process.env.APP_URL ?? `http://localhost:${port}`;
    const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), APP_URL: appUrl, NODE_ENV: "production" };

    // The production build and the local services are independent: prepare them side by side.
    const build = buildIfNeeded(root, log);

    if (isEmbeddedDb || useEmulators) Object.assign(childEnv, loadLocalSecrets(path.join(dataDir, "local-secrets.json"), process.env));

    if (isEmbeddedDb) {
      const { startEmbeddedPostgres } = await import("@/lib/db/embedded");
      log(`starting embedded PostgreSQL (${path.relative(root, path.join(dataDir, "pg"))})…`);
      const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), persistent: true });
      stops.push({ name: "embedded PostgreSQL", stop: () => pg.stop() });
      childEnv.DATABASE_URL = pg.url;
      log(`PostgreSQL ready on port ${pg.port}`);
    }

    const { migrate } = await import("@/lib/db/migrate");
    const migrated = await migrate(childEnv.DATABASE_URL!);
    log(migrated.applied.length ? `applied migrations: ${migrated.applied.join(", ")}` : "database schema up to date");

    let demo: Awaited<ReturnType<typeof startDemoServices>> | null = null;
    if (useEmulators) {
      demo = await startDemoServices(childEnv, appUrl);
      stops.push({ name: "emulators", stop: demo.stop });
    }

    await build;

    // Configuration is validated here, with the final environment, before the app starts.
    Object.assign(process.env, childEnv);
    const { env } = await import("@/lib/env");
    env();

    if (demo) await demo.bootstrap();

    const next = startNext(childEnv, port);
    stops.push({ name: "app", stop: () => stopChild(next) });
    next.on("exit", (code) => {
      if (!isStopping) {
        log(`the app exited (code ${code}); stopping`);
        void shutdown(code ?? 1);
      }
    });
    await waitForHealth(`http://127.0.0.1:${port}/api/health`, next);
    printBanner({
      appUrl,
      manifest: demo?.manifest ?? null,
      manifestPath: path.relative(root, path.join(dataDir, "emulators.json")),
      seconds: (Date.now() - started) / 1000,
    });
  } catch (error) {
    process.stderr.write(`\n${(error as Error).message}\n`);
    await shutdown(1);
  }
}

async function startDemoServices(childEnv: NodeJS.ProcessEnv, appUrl: string) {
  const { startEmulators } = await import("@/emulators/index");
  const { profileNameFromEnv } = await import("@/emulators/servicenow/profiles");
  const servicenowProfile = profileNameFromEnv(process.env.POSTUREDESK_EMULATOR_PROFILE);
  log(`starting emulators (Entra ID, Azure Resource Manager, ServiceNow — instance profile ${servicenowProfile}) with demo data…`);
  const snapshotPath = path.join(dataDir, "emulators-state.json");
  const emulators = await startEmulators({
    dataDir,
    seed: Number(process.env.EMULATOR_SEED ?? 1),
    size: (process.env.EMULATOR_SIZE as "small" | "demo" | "large" | undefined) ?? "demo",
    manifestPath: path.join(dataDir, "emulators.json"),
    ports: await rememberedPorts(dataDir),
    snapshotPath,
    servicenowProfile,
  });
  const m = emulators.manifest;
  rememberPorts(dataDir, { entra: m.entra.url, entraBrowser: m.entra.browserUrl, arm: m.arm.url, servicenow: m.servicenow.url });
  const timer = setInterval(() => saveSnapshot(snapshotPath, emulators.snapshot()), 60_000);
  timer.unref();
  log(`emulators ready: Entra ${m.entra.url}, ARM ${m.arm.url}, ServiceNow ${m.servicenow.url}`);
  Object.assign(childEnv, {
    ENTRA_AUTHORITY: m.entra.authority,
    ENTRA_CLIENT_ID: m.entra.dashboardApp.clientId,
    ENTRA_CLIENT_SECRET: m.entra.dashboardApp.clientSecret,
    ALLOW_PRIVATE_NETWORK: "true",
    DEMO_MODE: "true",
  });
  return {
    manifest: m,
    stop: async () => {
      clearInterval(timer);
      saveSnapshot(snapshotPath, emulators.snapshot());
      await emulators.stop();
    },
    bootstrap: async () => {
      const { bootstrapDemo } = await import("@/lib/demo/bootstrap");
      const result = await bootstrapDemo(m, { appUrl });
      log(result.summary);
    },
  };
}

function startNext(childEnv: NodeJS.ProcessEnv, port: number): ChildProcess {
  const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
  if (!existsSync(nextBin)) throw new Error("Next.js is not installed: run npm ci first");
  log(`starting the app on port ${port}…`);
  return spawn(process.execPath, [nextBin, "start", "-p", String(port)], {
    cwd: root,
    env: childEnv,
    stdio: ["ignore", "inherit", "inherit"],
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error("the app exited before it became healthy");
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the app did not answer ${url} within 120 s`);
}

void main();
