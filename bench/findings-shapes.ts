// The findings shapes of bench/load.ts's request mix, called in-process on a database kept by
// `bench/load.ts --db-dir DIR` (bench/load-explain.ts, bench/load-profile.ts), and a tap on the app's own
// pool that sees each statement the list code sends; runOnKeptDatabase starts that database (migrated
// first, nothing seeded) and points the app's modules at it before they are imported.
import path from "node:path";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { applyBenchEnv } from "./bench-env";
import { requestMix } from "./load-mix";

export type RawQuery = (sql: string, params?: unknown[]) => Promise<unknown>;

/** Each findings shape of the mix (only those whose path contains `filter`, if given) as a direct `listFindings` call. */
export async function findingsShapes(filter: string | undefined, caller: string) {
  const { pool } = await import("@/lib/db");
  const { listFindings } = await import("@/lib/findings/list");
  const { findingsQueryOf } = await import("@/lib/schemas/findings");
  const subs = (await pool().query<{ s: string }>(`SELECT "subscriptionId" AS s FROM "Subscription" ORDER BY 1`)).rows.map((r) => r.s);
  const keys = (await pool().query<{ k: string }>(`SELECT "key" AS k FROM "Recommendation" ORDER BY 1`)).rows.map((r) => r.k);
  return requestMix(subs, keys)
    .filter((s) => s.group === "findings" && (!filter || s.path.includes(filter)))
    .map((shape) => {
      const search = new URLSearchParams(shape.path.split("?")[1] ?? "");
      const input: Record<string, string | string[]> = {};
      for (const k of new Set(search.keys())) input[k] = search.getAll(k).length > 1 ? search.getAll(k) : search.get(k)!;
      return {
        /** The path with the seed's ids shortened, for printing. */
        name: shape.path.replace(/[0-9a-f]{8}-0000-4000-[89]000-0*/g, "…"),
        call: () => listFindings({ type: "system", id: null, name: caller }, findingsQueryOf(input)),
      };
    });
}

/** Routes every statement of the app's pool through `tap` (which runs it with `run`); returns the untapped query. */
export async function tapPool(tap: (sql: string, params: unknown[], run: RawQuery) => Promise<unknown>): Promise<RawQuery> {
  const { pool } = await import("@/lib/db");
  const p = pool();
  const run = p.query.bind(p) as RawQuery;
  type Config = { name?: string; text: string; values?: unknown[] };
  const runAny = p.query.bind(p) as unknown as (sql: string | Config, params?: unknown[]) => Promise<unknown>;
  // A prepared (named) statement is tapped by its text and run as prepared.
  (p as unknown as { query: unknown }).query = (sql: string | Config, params?: unknown[]) =>
    typeof sql === "string"
      ? tap(sql, params ?? [], run)
      : tap(sql.text, sql.values ?? [], (text, values) => (text === sql.text ? runAny({ ...sql, values }) : run(text, values)));
  return run;
}

/** Runs `body` against the database kept in `dbDir`, then closes the app's pool and the server; a failure ends the process with 1. */
export function runOnKeptDatabase(dbDir: string | undefined, body: () => Promise<void>): void {
  const run = async () => {
    if (!dbDir) throw new Error("--db-dir DIR: a database kept by bench/load.ts --db-dir");
    const server = await startEmbeddedPostgres({ dataDir: path.resolve(dbDir), persistent: true });
    try {
      applyBenchEnv(server.url);
      await migrate(server.url);
      await body();
      const { closeDb } = await import("@/lib/db");
      await closeDb();
    } finally {
      await server.stop();
    }
  };
  run().catch((error: Error) => {
    process.stdout.write(`${error.stack ?? error.message}\n`);
    process.exit(1);
  });
}
