import "server-only";

// A data version: one number for "what a cached answer was computed from" — a sequence that a
// statement-level trigger on every table the answer reads moves forward (migrations list_versions and
// findings_version). A cached answer labelled with the same number is still true. One row read, no table
// scanned. Used by the compliance summary (lib/compliance/version-sql.ts) and the findings list's count
// (lib/findings/count-sql.ts).

/**
 * `settled`: no writer of those tables was between its number and its commit when the number was read
 * (each writer holds a shared advisory lock, taken before it moves the number, until it commits; this
 * read looks for one after reading the number), so whatever is read after this shows at least that
 * data. Only a settled version may label a new cache entry.
 */
export type DataVersion = { version: string; settled: boolean };

/**
 * The statement reading the version of sequence `sequence` whose writers hold the advisory lock named
 * `lockName`, with `extra` select-list items (", expr AS name", read in the same statement).
 *
 * The look for a writer: take the lock exclusively without waiting (held to the end of this statement,
 * so a writer arriving meanwhile waits that long); when that fails, the holder may be another reader
 * doing the same, so pg_locks tells whether a writer holds it (a granted ShareLock on the key in this
 * database — a bigint advisory key shows as its high half in classid, its low half in objid, objsubid
 * 1). Without that second look, readers arriving together saw each other as writers and each computed
 * the answer on its own. CASE keeps the order: pg_locks, the slower look (~0.3 ms), only on a conflict.
 * The subquery names s so that it runs after the sequence was read.
 */
export const dataVersionSql = (sequence: string, lockName: string, extra = "") => `
  SELECT concat(s."last_value", ':', s."is_called") AS version,
    CASE WHEN pg_try_advisory_xact_lock(key.k) THEN true ELSE NOT EXISTS (
      SELECT 1 FROM pg_locks l
      WHERE s."last_value" IS NOT NULL
        AND l."locktype" = 'advisory' AND l."mode" = 'ShareLock' AND l."granted" AND l."objsubid" = 1
        AND l."database" = (SELECT "oid" FROM pg_database WHERE "datname" = current_database())
        AND l."classid" = ((key.k >> 32) & 4294967295)::oid AND l."objid" = (key.k & 4294967295)::oid
    ) END AS settled${extra}
  FROM "${sequence}" s, (SELECT hashtextextended('${lockName}', 0) AS k) key`;
