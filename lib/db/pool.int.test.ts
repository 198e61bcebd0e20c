// The app's pool when the server ends its connections (a restart, a failover, an operator's
// pg_terminate_backend): the process lives on, and whoever holds a connection sees its next query fail.
import pg from "pg";
import { afterAll, describe, expect, test } from "vitest";
import { closeDb, pool } from "@/lib/db";
import { integrationSuite } from "@/test/integration";

const suite = integrationSuite({ emulators: "none" });

afterAll(async () => {
  await closeDb();
});

async function terminate(pid: number): Promise<void> {
  const admin = new pg.Client({ connectionString: suite.database.url });
  await admin.connect();
  await admin.query("SELECT pg_terminate_backend($1)", [pid]);
  await admin.end();
}

describe("pool", () => {
  test("a connection held between queries (a lease) that the server terminates: no crash, its next query fails, the pool serves on", async () => {
    const held = await pool().connect();
    const { rows } = await held.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    await terminate(rows[0]!.pid);
    // The server's FATAL arrives as an 'error' event on the idle, checked-out client: without a listener
    // Node ends the process (vitest reports it as an unhandled error and fails the run).
    await new Promise((r) => setTimeout(r, 300));
    await expect(held.query("SELECT 1")).rejects.toThrow();
    held.release(true);
    expect((await pool().query<{ one: number }>("SELECT 1 AS one")).rows[0]!.one).toBe(1);
  });

  test("an idle pooled connection that the server terminates is replaced", async () => {
    const c = await pool().connect();
    const { rows } = await c.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    c.release();
    await terminate(rows[0]!.pid);
    await new Promise((r) => setTimeout(r, 300));
    expect((await pool().query<{ one: number }>("SELECT 1 AS one")).rows[0]!.one).toBe(1);
  });
});
