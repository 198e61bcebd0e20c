// Setup shared by the sync benchmarks: a throwaway embedded PostgreSQL (migrated), the emulators, the
// app's configuration pointing at both, the emulator's tenant registered and ingested through the real
// Defender ingestion, and a ServiceNow connection to the emulator.
import { startBenchWorld } from "./bench-env";

export type SyncBench = Awaited<ReturnType<typeof setUpSync>>;

export async function setUpSync(options: { size: "small" | "demo" | "large"; extraAssessments?: number; webhookSecret?: string }) {
  const bench = await startBenchWorld(options.size, { logLevel: process.env.LOG_LEVEL });
  const { manifest: m, control } = bench;

  if (options.extraAssessments) {
    const existing = await control<{ value: Array<{ key: string; subscriptionId: string }> }>(
      "arm",
      "GET",
      "/_emulator/assessments?limit=2000",
    );
    const keys = [...new Set(existing.value.map((a) => a.key))];
    const subs = [...new Set(existing.value.map((a) => a.subscriptionId))];
    const assessments = Array.from({ length: options.extraAssessments }, (_, i) => {
      const vm = Math.floor(i / keys.length);
      return {
        resourceId: `/subscriptions/${subs[vm % subs.length]}/resourceGroups/rg-bench-${vm % 40}/providers/Microsoft.Compute/virtualMachines/vm-bench-${vm}`,
        key: keys[i % keys.length]!,
        status: "Unhealthy",
      };
    });
    await control("arm", "POST", "/_emulator/assessments", { assessments });
  }

  // Imported after the environment is set: these modules read it on first use.
  const { syncWorld } = await import("@/lib/sync/testing");
  const { closeDb } = await import("@/lib/db");
  const world = await syncWorld(m, {
    defaultAssignmentGroup: "Cloud Security Operations",
    ...(options.webhookSecret ? { webhookSecret: options.webhookSecret } : {}),
  });

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
      await bench.stop();
    },
  };
}

/** Re-runs this script with NODE_EXTRA_CA_CERTS set (Node reads it only at start); returns true in the parent. */
export async function ensureTrustedCa(): Promise<boolean> {
  const { ensureCertificates } = await import("@/emulators/common/tls");
  const { spawnSync } = await import("node:child_process");
  const certs = ensureCertificates(".data/certs");
  if (process.env.NODE_EXTRA_CA_CERTS === certs.bundlePath) return false;
  const result = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, NODE_EXTRA_CA_CERTS: certs.bundlePath },
  });
  process.exitCode = result.status ?? 1;
  return true;
}
