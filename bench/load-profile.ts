// Where the findings shapes of bench/load.ts spend their time in the app, in-process (docs/PERFORMANCE.md,
// "List APIs"): `listFindings` called directly for every findings shape of the mix, round after round, on a
// database kept by `bench/load.ts --db-dir DIR` (migrated first, nothing seeded), with each statement it
// sends timed as the app's own pool runs it. Prints the median and p95 of each shape's whole call and of
// each of its statements (the first rounds, while caches and the JIT warm up, are not counted). Beside
// bench/load-explain.ts, which shows one run's plans: this shows what repeats, without HTTP in the way.
//
//   npx tsx --conditions=react-server bench/load-profile.ts --db-dir /tmp/load-100k [--rounds 25] [--shape resourceGroup]
import path from "node:path";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { requestMix } from "./load-mix";
import { applyBenchEnv } from "./bench-env";

const { values } = parseArgs({
  options: { "db-dir": { type: "string" }, rounds: { type: "string", default: "25" }, shape: { type: "string" } },
});
const WARM_UP = 5;
const log = (m: string) => process.stdout.write(`${m}\n`);

const quantile = (samples: number[], q: number) =>
  [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(samples.length * q))]!;

async function main(): Promise<void> {
  if (!values["db-dir"]) throw new Error("--db-dir DIR: a database kept by bench/load.ts --db-dir");
  const server = await startEmbeddedPostgres({ dataDir: path.resolve(values["db-dir"]), persistent: true });
  try {
    applyBenchEnv(server.url);
    await migrate(server.url);
    const { pool, closeDb } = await import("@/lib/db");
    const { listFindings } = await import("@/lib/findings/list");
    const { findingsQueryOf } = await import("@/lib/schemas/findings");
    const subs = (await pool().query<{ s: string }>(`SELECT "subscriptionId" AS s FROM "Subscription" ORDER BY 1`)).rows.map((r) => r.s);
    const keys = (await pool().query<{ k: string }>(`SELECT "key" AS k FROM "Recommendation" ORDER BY 1`)).rows.map((r) => r.k);
    const shapes = requestMix(subs, keys).filter((s) => s.group === "findings" && (!values.shape || s.path.includes(values.shape)));
    // Each statement timed as the app's pool runs it, filed under the shape being called.
    const times = new Map<string, number[]>();
    const add = (key: string, ms: number) => (times.get(key) ?? times.set(key, []).get(key)!).push(ms);
    let current: string | null = null;
    const p = pool();
    const query = p.query.bind(p) as (sql: string, params?: unknown[]) => Promise<unknown>;
    (p as unknown as { query: typeof query }).query = async (sql: string, params?: unknown[]) => {
      const t = performance.now();
      const result = await query(sql, params);
      if (current) add(`${current}\t  ${sql.replace(/\s+/g, " ").slice(0, 90)}`, performance.now() - t);
      return result;
    };
    const rounds = Number(values.rounds);
    for (let round = 0; round < rounds; round++) {
      for (const shape of shapes) {
        const search = new URLSearchParams(shape.path.split("?")[1] ?? "");
        const input: Record<string, string | string[]> = {};
        for (const k of new Set(search.keys())) input[k] = search.getAll(k).length > 1 ? search.getAll(k) : search.get(k)!;
        const name = shape.path.replace(/[0-9a-f]{8}-0000-4000-[89]000-0*/g, "…");
        current = round < WARM_UP ? null : name;
        const t = performance.now();
        JSON.stringify(await listFindings({ type: "system", id: null, name: "profile" }, findingsQueryOf(input)));
        if (current) add(`${name}\t(whole call, JSON included)`, performance.now() - t);
      }
    }
    log(`${rounds - WARM_UP} rounds counted of ${rounds}; median / p95 in ms`);
    for (const [key, samples] of [...times.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const [shape, what] = key.split("\t");
      log(`${quantile(samples, 0.5).toFixed(1).padStart(7)} ${quantile(samples, 0.95).toFixed(1).padStart(7)}  ${shape}  ${what}`);
    }
    await closeDb();
  } finally {
    await server.stop();
  }
}

main().catch((error: Error) => {
  log(error.stack ?? error.message);
  process.exit(1);
});
