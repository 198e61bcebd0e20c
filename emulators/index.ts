// Starts the three emulators in this process, each on its own port, sharing one seeded world, clock,
// fault engine and request counters; writes the manifest (.data/emulators.json) that tells scripts and
// tests where they are and which credentials to use.
//
//   const { manifest, stop } = await startEmulators({ dataDir: ".data", seed: 42, size: "small" });
//
// Processes that call the emulators must trust the local CA: start them with
// NODE_EXTRA_CA_CERTS=<manifest.caBundlePath> (Node reads that variable only at process start).
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { createArmEmulator } from "./arm";
import { createClock } from "./common/clock";
import { createControlRouter, type ControlTarget, type ResetParts } from "./common/control";
import { createCounters } from "./common/counters";
import { createFaultEngine } from "./common/faults";
import { type ErrorWriter, writeGenericError } from "./common/http";
import { type EmulatorContext, emulatorContext, type EmulatorModule, type EmulatorName } from "./common/platform";
import { createRng, type Rng } from "./common/rng";
import { type RunningServer, startServer } from "./common/server";
import { ensureCertificates } from "./common/tls";
import { createEntraEmulator } from "./entra";
import { ARM_AUDIENCES_BY_CLOUD } from "./entra/tokens";
import { type EmulatorManifest, writeManifest } from "./manifest";
import { buildWorld } from "./seed/world";
import type { SeedSize, World } from "./seed/types";
import { createServiceNowEmulator } from "./servicenow";
import { type ServiceNowProfileName } from "./servicenow/profiles";

export type { EmulatorManifest } from "./manifest";

export type EmulatorPortName = "entra" | "entraBrowser" | "arm" | "armGov" | "servicenow";

export type StartEmulatorsOptions = {
  /** Local state: certificates (unless certDir), manifest, snapshots. */
  dataDir: string;
  seed?: number;
  size?: SeedSize;
  /** Interface to bind; URLs use "localhost" for wildcard binds. */
  host?: string;
  /** 0 or absent = a free port. */
  ports?: Partial<Record<EmulatorPortName, number>>;
  /** Where to write the manifest; default `<dataDir>/emulators.json`; null = do not write one. */
  manifestPath?: string | null;
  /** Certificate directory; default `<dataDir>/certs`. */
  certDir?: string;
  /** Instant the seeded dates are relative to; default: start of the current UTC day. */
  anchor?: number;
  /** Restore this snapshot file (if it exists) after start. */
  snapshotPath?: string;
  /** ServiceNow instance profile (emulators/servicenow/profiles.ts); default baseline. */
  servicenowProfile?: ServiceNowProfileName;
  /** Assessments of the `large` seed (default 100,000); the million-finding benchmark asks for 1,000,000. */
  largeAssessments?: number;
};

export type RunningEmulators = {
  manifest: EmulatorManifest;
  /** The current seeded world (in-process callers only; it changes on reseed). */
  world(): World;
  /** The state a snapshot file holds (what `POST /_emulator/snapshot` returns). */
  snapshot(): unknown;
  stop(): Promise<void>;
};

const ZSnapshot = z.object({
  version: z.literal(1),
  seed: z.number().int(),
  size: z.enum(["small", "demo", "large", "estate"]),
  anchor: z.number(),
  clockOffsetMs: z.number(),
  emulators: z.record(z.string(), z.unknown()),
});

function startOfUtcDay(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

export async function startEmulators(options: StartEmulatorsOptions): Promise<RunningEmulators> {
  const dataDir = path.resolve(options.dataDir);
  const host = options.host ?? "localhost";
  const isWildcardOrLocal = ["localhost", "127.0.0.1", "::1", "0.0.0.0", "::"].includes(host);
  const certs = ensureCertificates(options.certDir ?? path.join(dataDir, "certs"), { extraHosts: isWildcardOrLocal ? [] : [host] });
  const tls = { cert: readFileSync(certs.certPath, "utf8"), key: readFileSync(certs.keyPath, "utf8") };

  let seed = options.seed ?? 42;
  let size: SeedSize = options.size ?? "small";
  let anchor = options.anchor ?? startOfUtcDay(Date.now());
  const worldOptions = { assessments: options.largeAssessments };
  let world = buildWorld(seed, size, anchor, worldOptions);
  const clock = createClock();
  const faults = createFaultEngine(seed);
  const counters = createCounters();
  const rngs = new Map<EmulatorName, Rng>();
  const urls: Partial<Record<EmulatorPortName, string>> = {};

  const contextFor = (name: EmulatorName, port: EmulatorPortName): EmulatorContext =>
    emulatorContext({
      world: () => world,
      rng: () => {
        let rng = rngs.get(name);
        if (!rng) rngs.set(name, (rng = createRng(`${name}/${seed}`)));
        return rng;
      },
      clock,
      faults,
      counters,
      publicUrl: () => urls[port] ?? "",
    });

  const entra = createEntraEmulator(contextFor("entra", "entra"), { browserUrl: () => urls.entraBrowser ?? "" });
  const arm = createArmEmulator(contextFor("arm", "arm"), {
    verifyAccessToken: entra.verifyAccessToken,
    authorizationUri: () => `${urls.entra}/${world.tenantId}`,
    readerObjectIds: () => [entra.principals().armServicePrincipal.objectId],
  });
  // A second Resource Manager as Azure US Government would serve it: same world, its own state, port and
  // token audience (https://management.usgovcloudapi.net), so a token for the public cloud is refused.
  const armGov = createArmEmulator(contextFor("arm", "armGov"), {
    verifyAccessToken: entra.verifyAccessToken,
    authorizationUri: () => `${urls.entra}/${world.tenantId}`,
    readerObjectIds: () => [entra.principals().armServicePrincipal.objectId],
    audiences: ARM_AUDIENCES_BY_CLOUD.usgov,
  });
  // ServiceNow's Defender CC integration reads the ARM emulator over HTTPS with an Entra app registration,
  // like the real one (configured with API URL, tenant, client id and secret).
  const caPem = readFileSync(certs.caCertPath, "utf8");
  const servicenow = createServiceNowEmulator(contextFor("servicenow", "servicenow"), {
    profile: options.servicenowProfile,
    defender: () => {
      if (!urls.arm || !urls.entra) return null;
      const app = entra.principals().armServicePrincipal;
      return {
        tokenUrl: `${urls.entra}/${world.tenantId}/oauth2/v2.0/token`,
        armUrl: urls.arm,
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        subscriptionIds: world.subscriptions.map((s) => s.subscriptionId),
        ca: caPem,
      };
    },
  });
  const modules: Record<EmulatorName, EmulatorModule> = { entra, arm, servicenow };

  const resetModules = () => {
    rngs.clear();
    for (const m of Object.values(modules)) m.reset();
    armGov.reset();
  };

  const info = () => ({
    seed,
    size,
    anchor: new Date(anchor).toISOString(),
    now: clock.iso(),
    clockOffsetMs: clock.offsetMs(),
    tenantId: world.tenantId,
    endpoints: urls,
    subscriptions: world.subscriptions.map((s) => ({ subscriptionId: s.subscriptionId, displayName: s.displayName })),
    process: {
      pid: process.pid,
      rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
      heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    },
    counts: {
      subscriptions: world.subscriptions.length,
      resources: world.resources.length,
      recommendations: world.recommendations.length,
      assessments: world.assessments.length,
      people: world.people.length,
    },
  });

  const snapshot = () => ({
    version: 1 as const,
    seed,
    size,
    anchor,
    clockOffsetMs: clock.offsetMs(),
    emulators: Object.fromEntries(Object.entries(modules).map(([name, m]) => [name, m.snapshot()])),
  });

  const target: ControlTarget = {
    faults,
    counters,
    clock,
    info,
    snapshotDir: dataDir,
    reset(parts: ResetParts) {
      if (parts.state) resetModules();
      if (parts.faults) {
        faults.clear();
        faults.reseed(seed);
      }
      if (parts.counters) counters.reset();
      if (parts.clock) clock.setOffset(0);
    },
    reseed(newSeed, newSize) {
      seed = newSeed;
      size = newSize;
      world = buildWorld(seed, size, anchor, worldOptions);
      faults.clear();
      faults.reseed(seed);
      resetModules();
      rewriteManifest();
    },
    snapshot,
    restore(raw) {
      const s = ZSnapshot.parse(raw);
      if (s.seed !== seed || s.size !== size || s.anchor !== anchor) {
        seed = s.seed;
        size = s.size;
        anchor = s.anchor;
        world = buildWorld(seed, size, anchor, worldOptions);
      }
      resetModules();
      clock.setOffset(s.clockOffsetMs);
      for (const [name, m] of Object.entries(modules)) if (s.emulators[name] !== undefined) m.restore(s.emulators[name]);
      rewriteManifest();
    },
  };

  // `/_emulator/to/{arm|entra|servicenow}/…` reaches that emulator's own control routes from any port, so
  // the control page on the plain-HTTP sign-in port can drive all three without a certificate warning.
  const withProxy =
    (handle: EmulatorModule["handle"]): EmulatorModule["handle"] =>
    (req, res) => {
      const m = /^\/_emulator\/to\/(arm|entra|servicenow)(\/.*)$/.exec(req.url ?? "");
      if (!m) return handle(req, res);
      req.url = `/_emulator${m[2]}`;
      return modules[m[1] as EmulatorName].handle(req, res);
    };
  const allowedOrigins = () => Object.values(urls).filter((u): u is string => Boolean(u));

  const servers: RunningServer[] = [];
  const start = async (port: EmulatorPortName, name: EmulatorName, module: EmulatorModule, handle = module.handle, isTls = true) => {
    const writeError: ErrorWriter = module.writeError ?? writeGenericError;
    const server = await startServer({
      name,
      host,
      port: options.ports?.[port] ?? 0,
      tls: isTls ? tls : null,
      control: createControlRouter(target, name),
      handle: withProxy(handle),
      writeError,
      faults,
      counters,
      routeOf: module.routeOf,
      allowedOrigins,
    });
    servers.push(server);
    urls[port] = server.url;
  };

  const manifestPath = options.manifestPath === undefined ? path.join(dataDir, "emulators.json") : options.manifestPath;
  let manifest: EmulatorManifest;
  const buildManifest = (): EmulatorManifest => {
    const principals = entra.principals();
    const entraUrl = urls.entra!;
    return {
      version: 1,
      startedAt: new Date().toISOString(),
      pid: process.pid,
      seed,
      size,
      caCertPath: certs.caCertPath,
      caBundlePath: certs.bundlePath,
      tenantId: world.tenantId,
      domain: world.domain,
      entra: {
        url: entraUrl,
        browserUrl: urls.entraBrowser!,
        authority: `${entraUrl}/${world.tenantId}`,
        knownAuthority: new URL(entraUrl).host,
        dashboardApp: { clientId: principals.dashboardApp.clientId, clientSecret: principals.dashboardApp.clientSecret },
        armServicePrincipal: {
          clientId: principals.armServicePrincipal.clientId,
          clientSecret: principals.armServicePrincipal.clientSecret,
        },
        noAccessServicePrincipal: {
          clientId: principals.noAccessServicePrincipal.clientId,
          clientSecret: principals.noAccessServicePrincipal.clientSecret,
        },
      },
      arm: { url: urls.arm!, audience: "https://management.azure.com/", subscriptionIds: world.subscriptions.map((s) => s.subscriptionId) },
      armGov: {
        url: urls.armGov!,
        audience: "https://management.usgovcloudapi.net/",
        subscriptionIds: world.subscriptions.map((s) => s.subscriptionId),
      },
      servicenow: { url: urls.servicenow!, profile: servicenow.profile, ...servicenow.credentials },
      users: world.people
        .filter((p) => p.appRole !== null || p.userName === "nora.norole")
        .map((p) => ({ oid: p.oid, email: p.email, displayName: p.displayName, role: p.appRole })),
    };
  };
  function rewriteManifest() {
    if (!manifest) return;
    manifest = { ...buildManifest(), startedAt: manifest.startedAt };
    if (manifestPath) writeManifest(manifestPath, manifest);
  }

  try {
    await start("entra", "entra", entra);
    await start("entraBrowser", "entra", entra, entra.handleBrowser, false);
    await start("arm", "arm", arm);
    await start("armGov", "arm", armGov);
    await start("servicenow", "servicenow", servicenow);
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    throw error;
  }

  if (options.snapshotPath && existsSync(options.snapshotPath)) target.restore(JSON.parse(readFileSync(options.snapshotPath, "utf8")));
  else {
    // The instance starts with what its Defender integration imported (first scheduled run); the request
    // counters then start from zero, so tests count only their own traffic.
    await servicenow.runDefenderIntegration();
    counters.reset();
  }
  manifest = buildManifest();
  if (manifestPath) writeManifest(manifestPath, manifest);

  return {
    get manifest() {
      return manifest;
    },
    world: () => world,
    async stop() {
      await Promise.all(servers.map((s) => s.close()));
      // Remove the manifest only if it is still ours, so a stale file never points at dead ports.
      if (manifestPath && existsSync(manifestPath)) {
        try {
          if (JSON.parse(readFileSync(manifestPath, "utf8")).pid === process.pid) rmSync(manifestPath, { force: true });
        } catch {
          // Unreadable: leave it for the next start to overwrite.
        }
      }
    },
    snapshot,
  };
}
