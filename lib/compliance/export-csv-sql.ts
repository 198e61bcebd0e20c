import "server-only";

// GET /api/compliance/export.csv — the compliance data behind the view, for spreadsheets:
//   report=trend    one row per day and subscription of the range (the daily snapshots);
//   report=controls one row per regulatory control and subscription (current state).
// UTF-8 with a BOM, CRLF, RFC 4180 quoting, formula-like text neutralized (lib/sync-history/csv.ts).
// A year of daily snapshots for 20 subscriptions is ~7,300 rows: read at once, written as one body.

import { pool } from "@/lib/db";
import { type TComplianceExportQuery } from "@/lib/schemas/compliance";
import { csvRow, safeFilename } from "@/lib/sync-history/csv";
import { listSubscriptions, percent } from "./scope";
import { assertRole, type Caller } from "@/lib/auth/authorize";

export const TREND_COLUMNS = [
  "day",
  "subscription_id",
  "subscription",
  "secure_score_percent",
  "secure_score_current",
  "secure_score_max",
  "unhealthy_high",
  "unhealthy_medium",
  "unhealthy_low",
  "healthy",
  "not_applicable",
  "covered_unhealthy",
  "coverage_percent",
  "open_tickets",
  "overdue_tickets",
  "drift_tickets",
] as const;

export const CONTROL_COLUMNS = [
  "standard",
  "control",
  "description",
  "subscription_id",
  "subscription",
  "state",
  "passed_assessments",
  "failed_assessments",
  "skipped_assessments",
] as const;

type TrendRow = {
  day: string;
  subscriptionId: string;
  secureScoreCurrent: number | null;
  secureScoreMax: number | null;
  secureScorePercent: number | null;
  unhealthyHigh: number;
  unhealthyMedium: number;
  unhealthyLow: number;
  healthy: number;
  notApplicable: number;
  coveredUnhealthy: number;
  openTickets: number;
  overdueTickets: number;
  drift: number;
};

type ControlRow = {
  standardName: string;
  name: string;
  description: string;
  subscriptionId: string;
  state: string;
  passedAssessments: number;
  failedAssessments: number;
  skippedAssessments: number;
};

export type ComplianceCsv = { filename: string; body: string };

export async function exportComplianceCsv(actor: Caller, q: TComplianceExportQuery): Promise<ComplianceCsv> {
  assertRole(actor, "manager", "Reading compliance");
  const sub = q.subscriptionId ?? null;
  const names = new Map((await listSubscriptions()).map((s) => [s.subscriptionId, s.displayName]));
  const lines: string[] = [];
  if (q.report === "trend") {
    lines.push(csvRow([...TREND_COLUMNS]));
    const { rows } = await pool().query<TrendRow>(
      `SELECT to_char("day", 'YYYY-MM-DD') AS day, "subscriptionId", "secureScoreCurrent", "secureScoreMax", "secureScorePercent", "unhealthyHigh", "unhealthyMedium",
         "unhealthyLow", "healthy", "notApplicable", "coveredUnhealthy", "openTickets", "overdueTickets", "drift"
       FROM "ComplianceSnapshot" WHERE "day" BETWEEN $2::date AND $3::date AND ($1::text IS NULL OR "subscriptionId" = $1)
       ORDER BY "day", "subscriptionId"`,
      [sub, q.from, q.to],
    );
    for (const r of rows) {
      const unhealthy = r.unhealthyHigh + r.unhealthyMedium + r.unhealthyLow;
      lines.push(
        csvRow([
          r.day,
          r.subscriptionId,
          names.get(r.subscriptionId) ?? "",
          r.secureScorePercent,
          r.secureScoreCurrent,
          r.secureScoreMax,
          r.unhealthyHigh,
          r.unhealthyMedium,
          r.unhealthyLow,
          r.healthy,
          r.notApplicable,
          r.coveredUnhealthy,
          percent(r.coveredUnhealthy, unhealthy),
          r.openTickets,
          r.overdueTickets,
          r.drift,
        ]),
      );
    }
  } else {
    lines.push(csvRow([...CONTROL_COLUMNS]));
    const { rows } = await pool().query<ControlRow>(
      `SELECT "standardName", "name", "description", "subscriptionId", "state", "passedAssessments", "failedAssessments", "skippedAssessments"
       FROM "RegulatoryControl" WHERE ($1::text IS NULL OR "subscriptionId" = $1) AND ($2::text IS NULL OR "standardName" = $2)`,
      [sub, q.standard ?? null],
    );
    rows.sort(
      (a, b) =>
        a.standardName.localeCompare(b.standardName) ||
        a.name.localeCompare(b.name, "en", { numeric: true }) ||
        a.subscriptionId.localeCompare(b.subscriptionId),
    );
    for (const r of rows) {
      lines.push(
        csvRow([
          r.standardName,
          r.name,
          r.description,
          r.subscriptionId,
          names.get(r.subscriptionId) ?? "",
          r.state,
          r.passedAssessments,
          r.failedAssessments,
          r.skippedAssessments,
        ]),
      );
    }
  }
  const scope = [q.report, q.report === "trend" ? `${q.from}_${q.to}` : (q.standard ?? "all-standards"), sub ?? "all-subscriptions"].join(
    "-",
  );
  return { filename: safeFilename(`compliance-${scope}.csv`), body: `\uFEFF${lines.join("")}` };
}
