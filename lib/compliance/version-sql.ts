import "server-only";

// What the compliance summary is computed from, summed up in one cheap row: the newest write time and
// the row count of each table it reads (summaries rewritten by ingestion and by ticket changes, tickets,
// secure scores, snapshots, regulatory standards and controls, subscriptions, tenants). Any write there
// (insert, update or delete) changes the row, so a cached summary with the same version is still true
// (lib/compliance/summary.ts). A few small scans (≤ 10,000 tickets): a few milliseconds.
import { pool } from "@/lib/db";

const VERSION_SQL = `
  SELECT concat_ws('|',
    (SELECT concat(max("refreshedAt"), ':', count(*)) FROM "RecommendationSummary" WHERE "subscriptionId" = '*'),
    (SELECT concat(max("updatedAt"), ':', count(*)) FROM "Ticket"),
    (SELECT concat(max("updatedAt"), ':', count(*)) FROM "SecureScore"),
    (SELECT concat(max("updatedAt"), ':', count(*)) FROM "ComplianceSnapshot"),
    (SELECT concat(max("updatedAt"), ':', count(*)) FROM "RegulatoryStandard"),
    (SELECT concat(max("updatedAt"), ':', count(*)) FROM "RegulatoryControl"),
    (SELECT concat(max("updatedAt"), ':', count(*)) FROM "Subscription"),
    (SELECT concat(max("updatedAt"), ':', count(*), ':', count("deletedAt")) FROM "AzureTenant")
  ) AS version`;

export async function complianceDataVersion(): Promise<string> {
  const { rows } = await pool().query<{ version: string }>(VERSION_SQL);
  return rows[0]?.version ?? "";
}
