import "server-only";
import { pool } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/audit/audit";
import { isConnectionLeased } from "./lease-sql";
import { ENGINE_KINDS } from "./runs";

// The SQL of scheduler.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

/** A queued run older than this with nobody working on it gets a worker woken for it. */
export const ORPHAN_AFTER_MS = 10_000;

export async function scheduleDueConnections(): Promise<string[]> {
  // One statement: moves nextSyncAt and queues the run together; a connection that already has a
  // queued full run gets no second one (it only moves on).
  const { rows } = await pool().query<{ connectionId: string; runId: string | null }>(
    `WITH candidates AS (
       SELECT c."id", (c."nextSyncAt" IS NULL OR c."nextSyncAt" <= now()) AS "isDue"
       FROM "ServiceNowConnection" c
       WHERE c."deletedAt" IS NULL
         AND (c."nextSyncAt" IS NULL OR c."nextSyncAt" <= now() OR c."nextSyncAt" > now() + make_interval(mins => c."syncIntervalMinutes"))
       FOR UPDATE SKIP LOCKED
     ), due AS (
       -- Raw SQL on purpose: sync bookkeeping must not bump updatedAt (it versions cached clients).
       UPDATE "ServiceNowConnection" c SET "nextSyncAt" = now() + make_interval(mins => c."syncIntervalMinutes")
       FROM candidates WHERE c."id" = candidates."id"
       RETURNING c."id", candidates."isDue"
     ), queued AS (
       INSERT INTO "SyncRun" ("kind", "trigger", "status", "connectionId", "counts")
       SELECT 'servicenow_sync', 'schedule', 'queued', due."id", '{"mode":"incremental","attempt":1}'::jsonb
       FROM due
       WHERE due."isDue" AND NOT EXISTS (
         SELECT 1 FROM "SyncRun" r WHERE r."connectionId" = due."id" AND r."kind" = 'servicenow_sync' AND r."status" = 'queued' AND r."queuedAt" <= now()
       )
       RETURNING "connectionId", "id"
     )
     SELECT "connectionId", "id" AS "runId" FROM queued`,
  );
  return rows.map((r) => r.connectionId);
}

export async function connectionsNeedingWorker(): Promise<string[]> {
  const { rows } = await pool().query<{ connectionId: string; hasRunning: boolean }>(
    `SELECT r."connectionId", bool_or(r."status" = 'running') AS "hasRunning"
     FROM "SyncRun" r
     WHERE r."kind"::text = ANY($1::text[]) AND r."connectionId" IS NOT NULL
       AND ((r."status" = 'queued' AND r."queuedAt" <= now() - make_interval(secs => $2::float8 / 1000)) OR r."status" = 'running')
     GROUP BY r."connectionId"`,
    [ENGINE_KINDS, ORPHAN_AFTER_MS],
  );
  const out: string[] = [];
  for (const row of rows) {
    // A run "running" while nobody holds the connection's lease was interrupted; a held lease is a live run.
    if (await isConnectionLeased(row.connectionId)) continue;
    out.push(row.connectionId);
  }
  return out;
}

/** A full Defender pass at least this often; incremental passes in between. */
export const FULL_PASS_EVERY_MS = 24 * 3600_000;

export async function scheduleDueTenants(): Promise<Array<{ tenantId: string; mode: "full" | "incremental" }>> {
  // Tenants with an ingestion queued or running are left alone (it sets nextSyncAt when it ends).
  const { rows } = await pool().query<{ id: string; isFullDue: boolean }>(
    `UPDATE "AzureTenant" t SET "nextSyncAt" = now() + make_interval(mins => t."syncIntervalMinutes")
     FROM (
       SELECT a."id" FROM "AzureTenant" a
       WHERE a."deletedAt" IS NULL AND (a."nextSyncAt" IS NULL OR a."nextSyncAt" <= now())
         AND NOT EXISTS (SELECT 1 FROM "SyncRun" r WHERE r."azureTenantId" = a."id" AND r."kind" = 'defender_ingest' AND r."status" IN ('queued', 'running'))
       FOR UPDATE OF a SKIP LOCKED
     ) due
     WHERE t."id" = due."id"
     RETURNING t."id", (t."lastFullSyncAt" IS NULL OR t."lastFullSyncAt" < now() - make_interval(secs => $1::float8 / 1000)) AS "isFullDue"`,
    [FULL_PASS_EVERY_MS],
  );
  if (rows.length === 0) return [];
  const { requestIngestion } = await import("@/lib/ingestion/job");
  const out: Array<{ tenantId: string; mode: "full" | "incremental" }> = [];
  for (const row of rows) {
    const mode = row.isFullDue ? "full" : "incremental";
    await requestIngestion(SYSTEM_ACTOR, row.id, { mode, trigger: "schedule" });
    out.push({ tenantId: row.id, mode });
  }
  return out;
}
