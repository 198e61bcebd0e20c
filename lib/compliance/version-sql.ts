import "server-only";

// What the compliance summary is computed from, as one number: the sequence that every statement
// writing a table the summary reads moves forward (triggers of migration list_versions: summaries
// rewritten by ingestion and by ticket changes, tickets and their links, secure scores, snapshots,
// regulatory standards, controls and assessments, subscriptions, tenants). A cached summary with the
// same number is still true (lib/compliance/summary.ts). One row read, no table scanned.
import { pool } from "@/lib/db";
import type pg from "pg";

/**
 * `settled`: no writer of those tables was between its number and its commit when the number was read
 * (each writer holds a shared advisory lock, taken before it moves the number, until it commits; this
 * read looks for one after reading the number), so whatever is read after this shows at least that
 * data. Only a settled version may label a new cache entry. `isDirty`: ticket changes are waiting to be
 * folded into the summaries (refreshDirtySummaries first, then read the version again).
 */
export type DataVersion = { version: string; settled: boolean; isDirty: boolean };

// The look for a writer: take the lock exclusively without waiting (held to the end of this statement,
// so a writer arriving meanwhile waits that long); when that fails, the holder may be another reader
// doing the same, so pg_locks tells whether a writer holds it (a granted ShareLock on the key in this
// database — a bigint advisory key shows as its high half in classid, its low half in objid, objsubid
// 1). Without that second look, readers arriving together saw each other as writers and each computed
// the summary on its own. CASE keeps the order: pg_locks, the slower look (~0.3 ms), only on a conflict.
// The subquery names s so that it runs after the sequence was read.
const VERSION_SQL = `
  SELECT concat(s."last_value", ':', s."is_called") AS version,
    CASE WHEN pg_try_advisory_xact_lock(key.k) THEN true ELSE NOT EXISTS (
      SELECT 1 FROM pg_locks l
      WHERE s."last_value" IS NOT NULL
        AND l."locktype" = 'advisory' AND l."mode" = 'ShareLock' AND l."granted" AND l."objsubid" = 1
        AND l."database" = (SELECT "oid" FROM pg_database WHERE "datname" = current_database())
        AND l."classid" = ((key.k >> 32) & 4294967295)::oid AND l."objid" = (key.k & 4294967295)::oid
    ) END AS settled,
    EXISTS (SELECT 1 FROM "RecommendationSummaryDirty") AS "isDirty"
  FROM "posturedesk_compliance_version" s, (SELECT hashtextextended('posturedesk:compliance-version', 0) AS k) key`;

export async function complianceDataVersion(db: pg.Pool | pg.PoolClient = pool()): Promise<DataVersion> {
  const { rows } = await db.query<DataVersion>({ name: "compliance-data-version", text: VERSION_SQL });
  return rows[0] ?? { version: "", settled: false, isDirty: true };
}
