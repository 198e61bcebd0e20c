// Starts the ServiceNow emulator alone, on the emulator platform's HTTPS server (local CA), with its own
// world, clock, fault engine and counters: for tests before the shared emulators are available, and for
// working on this emulator without the others. `npm run emulators` starts all three instead.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClock } from "../common/clock";
import { createControlRouter } from "../common/control";
import { createCounters } from "../common/counters";
import { createFaultEngine } from "../common/faults";
import { emulatorContext } from "../common/platform";
import { createRng } from "../common/rng";
import { startServer } from "../common/server";
import { ensureCertificates } from "../common/tls";
import type { SeedSize } from "../seed/types";
import { buildWorld } from "../seed/world";
import { createServiceNowEmulator, type ServiceNowCredentials } from "./index";
import { type ServiceNowProfileName } from "./profiles";

export type StandaloneServiceNow = ServiceNowCredentials & { url: string; profile: ServiceNowProfileName; stop(): Promise<void> };

export async function startStandaloneServiceNow(
  options: { seed?: number; size?: SeedSize; port?: number; certDir?: string; profile?: ServiceNowProfileName } = {},
): Promise<StandaloneServiceNow> {
  const size: SeedSize = options.size ?? "small";
  let seed = options.seed ?? 42;
  const certs = ensureCertificates(path.resolve(options.certDir ?? ".data/certs"));
  const anchor = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  let world = buildWorld(seed, size, anchor);
  const clock = createClock();
  const faults = createFaultEngine(seed);
  const counters = createCounters();
  let rng = createRng(`servicenow/${seed}`);
  let url = "";
  const ctx = emulatorContext({ world: () => world, rng: () => rng, clock, faults, counters, publicUrl: () => url });
  const emulator = createServiceNowEmulator(ctx, { profile: options.profile });
  const control = createControlRouter(
    {
      faults,
      counters,
      clock,
      info: () => ({ seed, size, now: clock.iso(), endpoints: { servicenow: url } }),
      reset(parts) {
        if (parts.state) {
          rng = createRng(`servicenow/${seed}`);
          emulator.reset();
        }
        if (parts.faults) faults.clear();
        if (parts.counters) counters.reset();
        if (parts.clock) clock.setOffset(0);
      },
      reseed(newSeed, newSize) {
        seed = newSeed;
        world = buildWorld(newSeed, newSize, anchor);
        rng = createRng(`servicenow/${newSeed}`);
        emulator.reset();
      },
      snapshot: () => emulator.snapshot(),
      restore: (s) => emulator.restore(s),
      snapshotDir: mkdtempSync(path.join(tmpdir(), "sn-test-")),
    },
    "servicenow",
  );
  const server = await startServer({
    name: "servicenow",
    host: "localhost",
    port: options.port ?? 0,
    tls: { cert: readFileSync(certs.certPath, "utf8"), key: readFileSync(certs.keyPath, "utf8") },
    control,
    handle: emulator.handle,
    writeError: emulator.writeError!,
    faults,
    counters,
    routeOf: emulator.routeOf,
  });
  url = server.url;
  return { ...emulator.credentials, url, profile: emulator.profile, stop: () => server.close() };
}
