// CLI: `npm run emulators -- [--seed N] [--size small|demo|large|estate] [--data-dir .data] [--host localhost]
//        [--port-entra N] [--port-entra-browser N] [--port-arm N] [--port-arm-gov N] [--port-servicenow N] [--snapshot file]`
// POSTUREDESK_EMULATOR_PROFILE=baseline|customized chooses the ServiceNow instance profile (default
// baseline; emulators/servicenow/profiles.ts).
// Starts Entra ID, ARM and ServiceNow emulators in this process, writes <data-dir>/emulators.json, prints
// the endpoints and timings, and stops cleanly on SIGINT/SIGTERM (saving --snapshot when given).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { type EmulatorPortName, startEmulators } from "./index";
import type { SeedSize } from "./seed/types";
import { profileNameFromEnv, type ServiceNowProfileName } from "./servicenow/profiles";

const USAGE = `Usage: npm run emulators -- [options]
  --seed N                 deterministic seed (default 42)
  --size small|demo|large|estate  world size (default demo)
  --data-dir DIR           certificates, manifest and snapshots (default .data)
  --host HOST              interface to bind (default localhost)
  --port-entra N --port-entra-browser N --port-arm N --port-arm-gov N --port-servicenow N   fixed ports (default: free ports)
  --snapshot FILE          restore FILE at start if it exists, save to it on exit
Environment: POSTUREDESK_EMULATOR_PROFILE=baseline|customized  ServiceNow instance profile (default baseline)`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function port(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) fail(`--${name} must be a port number`);
  return n;
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        seed: { type: "string" },
        size: { type: "string" },
        "data-dir": { type: "string" },
        host: { type: "string" },
        "port-entra": { type: "string" },
        "port-entra-browser": { type: "string" },
        "port-arm": { type: "string" },
        "port-arm-gov": { type: "string" },
        "port-servicenow": { type: "string" },
        snapshot: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }).values;
  } catch (error) {
    fail((error as Error).message);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const seed = args.seed === undefined ? 42 : Number(args.seed);
  if (!Number.isInteger(seed) || seed < 0) fail("--seed must be a non-negative integer");
  const size = (args.size ?? "demo") as SeedSize;
  if (!["small", "demo", "large", "estate"].includes(size)) fail("--size must be small, demo, large or estate");
  const ports: Partial<Record<EmulatorPortName, number>> = {
    entra: port(args["port-entra"], "port-entra"),
    entraBrowser: port(args["port-entra-browser"], "port-entra-browser"),
    arm: port(args["port-arm"], "port-arm"),
    armGov: port(args["port-arm-gov"], "port-arm-gov"),
    servicenow: port(args["port-servicenow"], "port-servicenow"),
  };
  const dataDir = path.resolve(args["data-dir"] ?? ".data");
  const snapshotPath = args.snapshot ? path.resolve(args.snapshot) : undefined;
  let servicenowProfile: ServiceNowProfileName = "baseline";
  try {
    servicenowProfile = profileNameFromEnv(process.env.POSTUREDESK_EMULATOR_PROFILE);
  } catch (error) {
    fail((error as Error).message);
  }

  const started = performance.now();
  const memoryBefore = process.memoryUsage().rss;
  const emulators = await startEmulators({ dataDir, seed, size, host: args.host, ports, snapshotPath, servicenowProfile });
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const m = emulators.manifest;
  const counts = emulators.world();
  console.log(
    `PostureDesk emulators: seed ${m.seed}, size ${m.size} — ${counts.subscriptions.length} subscriptions, ` +
      `${counts.resources.length} resources, ${counts.recommendations.length} recommendation types, ${counts.assessments.length} assessments`,
  );
  console.log(
    `  started in ${seconds} s, RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB (was ${Math.round(memoryBefore / 2 ** 20)} MiB)`,
  );
  console.log(`  Entra ID     ${m.entra.authority}   (sign-in page ${m.entra.browserUrl})`);
  console.log(`  ARM          ${m.arm.url}`);
  console.log(`  ServiceNow   ${m.servicenow.url}   (instance profile ${servicenowProfile})`);
  console.log(`  manifest     ${path.join(dataDir, "emulators.json")}`);
  console.log(`  CA bundle    NODE_EXTRA_CA_CERTS=${m.caBundlePath}`);
  console.log("  control API  <any endpoint>/_emulator  (docs/EMULATORS.md); Ctrl+C to stop");

  let isStopping = false;
  const stop = async (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    if (snapshotPath) {
      writeFileSync(snapshotPath, JSON.stringify(emulators.snapshot()));
      console.log(`Saved snapshot to ${snapshotPath}`);
    }
    await emulators.stop();
    console.log(`Emulators stopped (${signal}).`);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error("The emulators failed to start:", error);
  process.exit(1);
});
