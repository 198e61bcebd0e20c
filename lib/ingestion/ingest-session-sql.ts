import "server-only";
// The SQL of one ingestion's database session (lib/ingestion/ingest.ts): the per-tenant advisory lock,
// the session settings of a pass, and the few set-based statements the orchestrator runs itself.
import { type PoolClient } from "pg";

const lockKey = (azureTenantId: string) => `posturedesk:ingest:${azureTenantId}`;

/** One ingestion per tenant at a time, whoever started it; released if the session dies. */
export async function tryLockTenant(client: PoolClient, azureTenantId: string): Promise<boolean> {
  const locked = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS ok", [lockKey(azureTenantId)]);
  return locked.rows[0]!.ok;
}

export async function unlockTenant(client: PoolClient, azureTenantId: string): Promise<void> {
  await client.query("SELECT pg_advisory_unlock(hashtext($1))", [lockKey(azureTenantId)]);
}

/**
 * Page writes need not wait for their WAL flush: a crash loses at most the last pages, which the next
 * (idempotent) run writes again; the run's own bookkeeping commits synchronously after them.
 */
export async function relaxCommit(client: PoolClient): Promise<void> {
  await client.query("SET synchronous_commit = off");
}

/** The session's temp tables go, and its settings are reset, before the connection returns to the pool. */
export async function resetSession(client: PoolClient): Promise<void> {
  await client.query(
    "DROP TABLE IF EXISTS pg_temp.ingest_stage, pg_temp.resource_tags, pg_temp.sub_assessment_seen; RESET synchronous_commit",
  );
}

export async function countLiveFindings(client: PoolClient, azureTenantId: string): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "Finding" WHERE "azureTenantId" = $1::uuid AND "removedAt" IS NULL`,
    [azureTenantId],
  );
  return rows[0]!.n;
}

/** Findings of recommendations whose severity changed take the new severity, in one statement. */
export async function applySeverityChanges(client: PoolClient, recommendationKeys: string[]): Promise<void> {
  await client.query(
    `UPDATE "Finding" f SET "severity" = r."severity", "updatedAt" = now() FROM "Recommendation" r
     WHERE r."key" = f."recommendationKey" AND f."recommendationKey" = ANY($1::text[]) AND f."severity" <> r."severity"`,
    [recommendationKeys],
  );
}
