import "server-only";

// What the findings list's counts are computed from, as one number (lib/db/data-version-sql.ts): the
// sequence that every statement writing a table the list's filters read moves forward (triggers of
// migration findings_version), read with the database's clock and the next due date to come — the
// overdue filters change with the clock alone, when a due date passes.
import { pool } from "@/lib/db";
import { type DataVersion, dataVersionSql } from "@/lib/db/data-version-sql";

/** `at`: the database's now(); `nextDueAt`: the earliest due date not before it (the FindingDue index). */
export type FindingsVersion = DataVersion & { at: Date; nextDueAt: Date | null };

const VERSION_SQL = dataVersionSql(
  "posturedesk_findings_version",
  "posturedesk:findings-version",
  `, now() AS "at", (SELECT min(d."dueAt") FROM "FindingDue" d WHERE d."dueAt" >= now()) AS "nextDueAt"`,
);

export async function findingsDataVersion(): Promise<FindingsVersion> {
  const { rows } = await pool().query<FindingsVersion>({ name: "findings-data-version", text: VERSION_SQL });
  return rows[0] ?? { version: "", settled: false, at: new Date(), nextDueAt: null };
}
