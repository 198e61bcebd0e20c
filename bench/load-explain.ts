// Where the findings shapes of bench/load.ts spend their time in PostgreSQL (docs/PERFORMANCE.md,
// "1,000,000 findings"): every statement GET /api/findings runs for each shape of the mix, captured from
// the app's own list code and run again under EXPLAIN (ANALYZE, BUFFERS) on a database kept by
// `bench/load.ts --db-dir DIR` (migrated first, nothing seeded). Prints each shape's statements, slowest first,
// with the plan of the slowest.
//
//   npx tsx --conditions=react-server bench/load-explain.ts --db-dir /tmp/load-1m [--shape resourceType] [--plan-lines 30]
import { parseArgs } from "node:util";
import { findingsShapes, runOnKeptDatabase, tapPool } from "./findings-shapes";

const { values } = parseArgs({
  options: { "db-dir": { type: "string" }, shape: { type: "string" }, "plan-lines": { type: "string", default: "30" } },
});
const log = (m: string) => process.stdout.write(`${m}\n`);

runOnKeptDatabase(values["db-dir"], async () => {
  const shapes = await findingsShapes(values.shape, "explain");
  // The statements the list code sends, recorded as they go (the pool is the app's own).
  const captured: Array<{ sql: string; params: unknown[] }> = [];
  const query = await tapPool((sql, params, run) => {
    captured.push({ sql, params });
    return run(sql, params);
  });
  for (const shape of shapes) {
    captured.length = 0;
    const t = performance.now();
    await shape.call();
    const wall = performance.now() - t;
    const statements = [...captured];
    const plans: Array<{ ms: number; plan: string[]; sql: string }> = [];
    for (const s of statements) {
      const rows = (await query(`EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`, s.params)) as { rows: Array<{ "QUERY PLAN": string }> };
      const plan = rows.rows.map((r) => r["QUERY PLAN"]);
      const ms = Number(/Execution Time: ([\d.]+)/.exec(plan.at(-1) ?? "")?.[1] ?? NaN);
      plans.push({ ms, plan, sql: s.sql.replace(/\s+/g, " ").slice(0, 160) });
    }
    plans.sort((a, b) => b.ms - a.ms);
    log(`\n${shape.name}: ${wall.toFixed(0)} ms in-process, ${statements.length} statements`);
    for (const x of plans) log(`  ${x.ms.toFixed(1).padStart(8)} ms  ${x.sql}`);
    log(
      plans[0]!.plan
        .slice(0, Number(values["plan-lines"]))
        .map((l) => `    ${l}`)
        .join("\n"),
    );
  }
});
