// Test support (never imported by product code): real database failures in the middle of an ingestion —
// a trigger that makes the Nth INSERT statement into "Finding" fail, and the ingestion's own session
// terminated (what a crash of its process looks like to PostgreSQL: the connection goes, its lock with it).
import { pool } from "@/lib/db";

/** The `nth` INSERT statement into "Finding" from now on raises "injected write failure". */
export async function failNthFindingInsert(nth: number): Promise<void> {
  await pool().query(`CREATE SEQUENCE IF NOT EXISTS test_finding_insert_seq`);
  await pool().query(`SELECT setval('test_finding_insert_seq', 1, false)`);
  await pool().query(
    `CREATE OR REPLACE FUNCTION test_fail_finding_insert() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF nextval('test_finding_insert_seq') = ${Number(nth)} THEN RAISE EXCEPTION 'injected write failure'; END IF;
       RETURN NULL;
     END $$`,
  );
  await pool().query(`DROP TRIGGER IF EXISTS test_fail_finding_insert ON "Finding"`);
  await pool().query(
    `CREATE TRIGGER test_fail_finding_insert BEFORE INSERT ON "Finding" FOR EACH STATEMENT EXECUTE FUNCTION test_fail_finding_insert()`,
  );
}

export async function stopFailingFindingInserts(): Promise<void> {
  await pool().query(`DROP TRIGGER IF EXISTS test_fail_finding_insert ON "Finding"`);
}

/** Terminates the session holding the tenant's ingestion lock (the ingestion's dedicated connection). */
export async function terminateIngestionSession(azureTenantId: string): Promise<number> {
  const r = await pool().query<{ n: number }>(
    `SELECT count(pg_terminate_backend(l.pid))::int AS n FROM pg_locks l
     WHERE l.locktype = 'advisory' AND l.granted AND l.objid = (hashtext($1)::bigint & x'ffffffff'::bigint)::oid`,
    [`posturedesk:ingest:${azureTenantId}`],
  );
  return r.rows[0]!.n;
}

/** Whether some session holds the tenant's ingestion lock. */
export async function isIngestionLocked(azureTenantId: string): Promise<boolean> {
  const r = await pool().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = (hashtext($1)::bigint & x'ffffffff'::bigint)::oid`,
    [`posturedesk:ingest:${azureTenantId}`],
  );
  return r.rows[0]!.n > 0;
}

/** Queries still running in other sessions that touch the given table (none may outlive a failed run). */
export async function activeQueriesOn(table: string): Promise<number> {
  const r = await pool().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%' || $1 || '%'`,
    [`"${table}"`],
  );
  return r.rows[0]!.n;
}
