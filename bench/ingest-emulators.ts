// Child process of bench/ingest.ts: the emulators in a process of their own (as ARM is, for a real
// ingestion), certificates from .data/certs (which the bench process trusts), manifest in --dir.
//
//   node node_modules/tsx/dist/cli.mjs bench/ingest-emulators.ts --dir DIR [--seed 7] [--size large] [--assessments 1000000]
import path from "node:path";
import { parseArgs } from "node:util";
import { startEmulators } from "@/emulators/index";
import type { SeedSize } from "@/emulators/seed/types";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { dir: { type: "string" }, seed: { type: "string" }, size: { type: "string" }, assessments: { type: "string" } },
  });
  if (!values.dir) throw new Error("--dir is required");
  const emulators = await startEmulators({
    dataDir: values.dir,
    certDir: path.resolve(".data/certs"),
    seed: Number(values.seed ?? 7),
    size: (values.size ?? "large") as SeedSize,
    manifestPath: path.join(values.dir, "emulators.json"),
    largeAssessments: values.assessments ? Number(values.assessments) : undefined,
  });
  console.log(
    `emulators ready (${emulators.world().assessments.length} assessments; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB)`,
  );
  // The emulators' own peak memory, for the bench's report (sampled; printed when stopped).
  let peakRss = process.memoryUsage().rss;
  setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200).unref();
  process.on("exit", () => console.log(`emulators: peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`));
  const stop = () => void emulators.stop().finally(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
