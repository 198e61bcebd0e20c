// Embedded PostgreSQL lifecycle and test-database cloning times.
//
//   npx tsx --conditions=react-server bench/db-embedded.ts
//
// Runs in temp directories (nothing under .data/); prints figures, asserts nothing.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { withDatabase } from "@/lib/db/url";

const ms = (since: number) => Math.round(performance.now() - since);

async function lifecycle(persistent: boolean): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "posturedesk-bench-pg-"));
  try {
    let started = performance.now();
    const first = await startEmbeddedPostgres({ dataDir: dir, persistent });
    const firstMs = ms(started);
    started = performance.now();
    await first.stop();
    const stopMs = ms(started);
    const label = persistent ? "persistent    " : "non-persistent";
    let line = `${label} first start ${firstMs} ms (initdb ${first.timings.initMs} ms, server ${first.timings.startMs} ms), stop ${stopMs} ms`;
    if (persistent) {
      started = performance.now();
      const again = await startEmbeddedPostgres({ dataDir: dir });
      line += `, restart ${ms(started)} ms (server ${again.timings.startMs} ms)`;
      await again.stop();
    }
    console.log(line);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function cloning(): Promise<void> {
  const server = await startEmbeddedPostgres({ dataDir: await mkdtemp(join(tmpdir(), "posturedesk-bench-pg-")), persistent: false });
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  try {
    await admin.query("CREATE DATABASE bench_template");
    let started = performance.now();
    await migrate(withDatabase(server.adminUrl, "bench_template"));
    console.log(`migrate an empty database (all migrations) ${ms(started)} ms`);
    for (const strategy of ["WAL_LOG", "FILE_COPY"]) {
      const times: number[] = [];
      for (let i = 0; i < 10; i++) {
        started = performance.now();
        await admin.query(`CREATE DATABASE bench_clone_${i} TEMPLATE bench_template STRATEGY ${strategy}`);
        times.push(ms(started));
      }
      for (let i = 0; i < 10; i++) await admin.query(`DROP DATABASE bench_clone_${i} WITH (FORCE)`);
      times.sort((a, b) => a - b);
      console.log(`clone template (${strategy}): median ${times[5]} ms, min ${times[0]} ms, max ${times[9]} ms (10 clones)`);
    }
  } finally {
    await admin.end();
    await server.stop();
  }
}

async function main(): Promise<void> {
  await lifecycle(true);
  await lifecycle(false);
  await cloning();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
