// Where the findings shapes of bench/load.ts spend their time in the app, in-process (docs/PERFORMANCE.md,
// "List APIs"): `listFindings` called directly for every findings shape of the mix, round after round, on a
// database kept by `bench/load.ts --db-dir DIR` (migrated first, nothing seeded), with each statement it
// sends timed as the app's own pool runs it. Prints the median and p95 of each shape's whole call and of
// each of its statements (the first rounds, while caches and the JIT warm up, are not counted). Beside
// bench/load-explain.ts, which shows one run's plans: this shows what repeats, without HTTP in the way.
//
//   npx tsx --conditions=react-server bench/load-profile.ts --db-dir /tmp/load-100k [--rounds 25] [--shape resourceGroup]
import { parseArgs } from "node:util";
import { findingsShapes, runOnKeptDatabase, tapPool } from "./findings-shapes";

const { values } = parseArgs({
  options: { "db-dir": { type: "string" }, rounds: { type: "string", default: "25" }, shape: { type: "string" } },
});
const WARM_UP = 5;
const log = (m: string) => process.stdout.write(`${m}\n`);

const quantile = (samples: number[], q: number) =>
  [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(samples.length * q))]!;

runOnKeptDatabase(values["db-dir"], async () => {
  const shapes = await findingsShapes(values.shape, "profile");
  // Each statement timed as the app's pool runs it, filed under the shape being called.
  const times = new Map<string, number[]>();
  const add = (key: string, ms: number) => (times.get(key) ?? times.set(key, []).get(key)!).push(ms);
  let current: string | null = null;
  await tapPool(async (sql, params, run) => {
    const t = performance.now();
    const result = await run(sql, params);
    if (current) add(`${current}\t  ${sql.replace(/\s+/g, " ").slice(0, 90)}`, performance.now() - t);
    return result;
  });
  const rounds = Number(values.rounds);
  for (let round = 0; round < rounds; round++) {
    for (const shape of shapes) {
      current = round < WARM_UP ? null : shape.name;
      const t = performance.now();
      JSON.stringify(await shape.call());
      if (current) add(`${shape.name}\t(whole call, JSON included)`, performance.now() - t);
    }
  }
  log(`${rounds - WARM_UP} rounds counted of ${rounds}; median / p95 in ms`);
  for (const [key, samples] of [...times.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const [shape, what] = key.split("\t");
    log(`${quantile(samples, 0.5).toFixed(1).padStart(7)} ${quantile(samples, 0.95).toFixed(1).padStart(7)}  ${shape}  ${what}`);
  }
});
