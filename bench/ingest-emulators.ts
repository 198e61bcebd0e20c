// Child process of bench/ingest.ts: the emulators in a process of their own (as ARM is, for a real
// ingestion), certificates from .data/certs (which the bench process trusts), manifest in --dir.
//
//   node node_modules/tsx/dist/cli.mjs bench/ingest-emulators.ts --dir DIR [--seed 7] [--size large]
import path from "node:path";
import { parseArgs } from "node:util";
import { startEmulators } from "@/emulators/index";
import type { SeedSize } from "@/emulators/seed/types";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dir: { type: "string" }, seed: { type: "string" }, size: { type: "string" } } });
  if (!values.dir) throw new Error("--dir is required");
  const emulators = await startEmulators({
    dataDir: values.dir,
    certDir: path.resolve(".data/certs"),
    seed: Number(values.seed ?? 7),
    size: (values.size ?? "large") as SeedSize,
    manifestPath: path.join(values.dir, "emulators.json"),
  });
  console.log(`emulators ready (${emulators.world().assessments.length} assessments)`);
  const stop = () => void emulators.stop().finally(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
