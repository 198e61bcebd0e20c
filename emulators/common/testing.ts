// Test support for integration tests that talk to the emulators.
//
//   const emu = await useEmulators();          // shared emulators from test/global-setup.ts when present,
//                                              // else a private set started in this worker (seed 42, small)
//   await emu.control("arm", "POST", "/_emulator/faults", {...});
//   afterAll(() => emu.stop());                // no-op for the shared set
//
// `privateEmulators()` always starts a private set: use it for destructive changes (clock, reseed,
// snapshot/restore, global config) that would disturb other files sharing the global emulators.
// The worker must trust the local CA: vitest.config.ts sets NODE_EXTRA_CA_CERTS to .data/certs/ca-bundle.pem
// before forking, and private sets use that same certificate directory.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { type EmulatorManifest, startEmulators } from "../index";
import type { SeedSize } from "../seed/types";
import type { ServiceNowProfileName } from "../servicenow/profiles";

export type EmulatorName = "entra" | "arm" | "servicenow";

export type TestEmulators = {
  manifest: EmulatorManifest;
  isShared: boolean;
  /** JSON call to an emulator's control API (no auth); throws on network errors only. */
  control<T = unknown>(emulator: EmulatorName, method: string, route: string, body?: unknown): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
};

function urlOf(manifest: EmulatorManifest, emulator: EmulatorName): string {
  return emulator === "entra" ? manifest.entra.url : emulator === "arm" ? manifest.arm.url : manifest.servicenow.url;
}

function wrap(manifest: EmulatorManifest, isShared: boolean, stop: () => Promise<void>): TestEmulators {
  return {
    manifest,
    isShared,
    async control(emulator, method, route, body) {
      const response = await fetch(`${urlOf(manifest, emulator)}${route}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as never };
    },
    stop,
  };
}

function provided(): EmulatorManifest | undefined {
  try {
    // `emulators` is provided by test/global-setup.ts once it starts the shared set.
    return (inject as unknown as (key: string) => unknown)("emulators") as EmulatorManifest | undefined;
  } catch {
    return undefined;
  }
}

export async function privateEmulators(
  options: { seed?: number; size?: SeedSize; servicenowProfile?: ServiceNowProfileName } = {},
): Promise<TestEmulators> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "posturedesk-emulators-"));
  const running = await startEmulators({
    dataDir,
    certDir: path.resolve(".data/certs"),
    seed: options.seed ?? 42,
    size: options.size ?? "small",
    manifestPath: null,
    servicenowProfile: options.servicenowProfile,
  });
  return wrap(running.manifest, false, async () => {
    await running.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
}

export async function useEmulators(): Promise<TestEmulators> {
  const manifest = provided();
  if (manifest) return wrap(manifest, true, async () => undefined);
  return privateEmulators();
}

/** POSTs a client-credentials request for the seeded ARM service principal to the Entra emulator's token endpoint. */
export function requestArmToken(manifest: EmulatorManifest, scope = "https://management.azure.com/.default"): Promise<Response> {
  const { clientId, clientSecret } = manifest.entra.armServicePrincipal;
  return fetch(`${manifest.entra.authority}/oauth2/v2.0/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, scope }),
  });
}

/** An ARM access token for the seeded service principal. */
export async function armToken(manifest: EmulatorManifest): Promise<string> {
  const response = await requestArmToken(manifest);
  return ((await response.json()) as { access_token: string }).access_token;
}
