// Setup shared by the sync benchmarks: a throwaway embedded PostgreSQL (migrated), the emulators, the
// app's configuration pointing at both, the emulator's tenant registered and ingested through the real
// Defender ingestion, and a ServiceNow connection to the emulator.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulators } from "@/emulators/index";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";

export type SyncBench = Awaited<ReturnType<typeof setUpSync>>;

export async function setUpSync(options: { size: "small" | "demo" | "large"; extraAssessments?: number; webhookSecret?: string }) {
  const pgDir = await mkdtemp(path.join(tmpdir(), "posturedesk-bench-pg-"));
  const dir = await mkdtemp(path.join(tmpdir(), "posturedesk-bench-emu-"));
  const pg = await startEmbeddedPostgres({ dataDir: pgDir, persistent: false });
  await migrate(pg.url);
  const emulators = await startEmulators({ dataDir: dir, certDir: path.resolve(".data/certs"), seed: 42, size: options.size, manifestPath: null });
  const m = emulators.manifest;
  Object.assign(process.env, {
    NODE_ENV: "production",
    DATABASE_URL: pg.url,
    DATABASE_POOL_MAX: "20",
    APP_URL: "http://localhost:3000",
    SESSION_SECRET: "bench-session-secret-0123456789abcdef0123456789",
    ENCRYPTION_KEY: Buffer.from("posturedesk-bench-encryption-k!!").toString("base64"),
    ENTRA_AUTHORITY: m.entra.authority,
    ENTRA_CLIENT_ID: m.entra.dashboardApp.clientId,
    ENTRA_CLIENT_SECRET: m.entra.dashboardApp.clientSecret,
    ALLOW_PRIVATE_NETWORK: "true",
    WORKER_IN_PROCESS: "false",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
  });

  async function control<T>(emulator: "servicenow" | "arm", method: string, route: string, body?: unknown): Promise<T> {
    const base = emulator === "servicenow" ? m.servicenow.url : m.arm.url;
    const res = await fetch(`${base}${route}`, { method, headers: body ? { "content-type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  if (options.extraAssessments) {
    const existing = await control<{ value: Array<{ key: string; subscriptionId: string }> }>("arm", "GET", "/_emulator/assessments?limit=2000");
    const keys = [...new Set(existing.value.map((a) => a.key))];
    const subs = [...new Set(existing.value.map((a) => a.subscriptionId))];
    const assessments = Array.from({ length: options.extraAssessments }, (_, i) => {
      const vm = Math.floor(i / keys.length);
      return { resourceId: `/subscriptions/${subs[vm % subs.length]}/resourceGroups/rg-bench-${vm % 40}/providers/Microsoft.Compute/virtualMachines/vm-bench-${vm}`, key: keys[i % keys.length]!, status: "Unhealthy" };
    });
    await control("arm", "POST", "/_emulator/assessments", { assessments });
  }

  // Imported after the environment is set: these modules read it on first use.
  const { syncWorld } = await import("@/lib/sync/testing");
  const { closeDb } = await import("@/lib/db");
  const world = await syncWorld(m, { defaultAssignmentGroup: "Cloud Security Operations", ...(options.webhookSecret ? { webhookSecret: options.webhookSecret } : {}) });

  async function requests(emulator: "servicenow" | "arm"): Promise<number> {
    return (await control<{ total: number }>(emulator, "GET", `/_emulator/counters?emulator=${emulator}`)).total;
  }

  return {
    manifest: m,
    world,
    control,
    requests,
    async tearDown() {
      await closeDb();
      await emulators.stop();
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
      await rm(pgDir, { recursive: true, force: true });
    },
  };
}

/** Re-runs this script with NODE_EXTRA_CA_CERTS set (Node reads it only at start); returns true in the parent. */
export async function ensureTrustedCa(): Promise<boolean> {
  const { ensureCertificates } = await import("@/emulators/common/tls");
  const { spawnSync } = await import("node:child_process");
  const certs = ensureCertificates(".data/certs");
  if (process.env.NODE_EXTRA_CA_CERTS === certs.bundlePath) return false;
  const result = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit", env: { ...process.env, NODE_EXTRA_CA_CERTS: certs.bundlePath } });
  process.exitCode = result.status ?? 1;
  return true;
}
