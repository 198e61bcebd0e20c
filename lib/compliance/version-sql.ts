import "server-only";

// What the compliance summary is computed from, as one number: the sequence that every statement
// writing a table the summary reads moves forward (triggers of migration list_versions: summaries
// rewritten by ingestion and by ticket changes, tickets and their links, secure scores, snapshots,
// regulatory standards, controls and assessments, subscriptions, tenants). A cached summary with the
// same number is still true (lib/compliance/summary.ts). One row read, no table scanned.
import { pool } from "@/lib/db";

/**
 * `settled`: no writer of those tables was between its number and its commit when the number was read
 * (each writer holds a shared advisory lock until it commits; this read takes it exclusively, without
 * waiting, after reading the number), so whatever is read after this shows at least that data. Only a
 * settled version may label a new cache entry. `isDirty`: ticket changes are waiting to be folded into
 * the summaries (refreshDirtySummaries first, then read the version again).
 */
export type DataVersion = { version: string; settled: boolean; isDirty: boolean };

const VERSION_SQL = `
  SELECT concat(s."last_value", ':', s."is_called") AS version,
    pg_try_advisory_xact_lock(hashtextextended('posturedesk:compliance-version', 0)) AS settled,
    EXISTS (SELECT 1 FROM "RecommendationSummaryDirty") AS "isDirty"
  FROM "posturedesk_compliance_version" s`;

export async function complianceDataVersion(): Promise<DataVersion> {
  const { rows } = await pool().query<DataVersion>(VERSION_SQL);
  return rows[0] ?? { version: "", settled: false, isDirty: true };
}
