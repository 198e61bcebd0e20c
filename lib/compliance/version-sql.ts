import "server-only";

// What the compliance summary is computed from, as one number (lib/db/data-version-sql.ts): the sequence
// that every statement writing a table the summary reads moves forward (triggers of migration
// list_versions: summaries rewritten by ingestion and by ticket changes, tickets and their links, secure
// scores, snapshots, regulatory standards, controls and assessments, subscriptions, tenants). A cached
// summary with the same number is still true (lib/compliance/summary.ts).
import { pool } from "@/lib/db";
import { type DataVersion as BaseVersion, dataVersionSql } from "@/lib/db/data-version-sql";
import type pg from "pg";

/**
 * The version (lib/db/data-version-sql.ts) and `isDirty`: ticket changes are waiting to be folded into
 * the summaries (refreshDirtySummaries first, then read the version again).
 */
export type DataVersion = BaseVersion & { isDirty: boolean };

const VERSION_SQL = dataVersionSql(
  "posturedesk_compliance_version",
  "posturedesk:compliance-version",
  `, EXISTS (SELECT 1 FROM "RecommendationSummaryDirty") AS "isDirty"`,
);

export async function complianceDataVersion(db: pg.Pool | pg.PoolClient = pool()): Promise<DataVersion> {
  const { rows } = await db.query<DataVersion>({ name: "compliance-data-version", text: VERSION_SQL });
  return rows[0] ?? { version: "", settled: false, isDirty: true };
}
