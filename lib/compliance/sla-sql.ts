import "server-only";

// SLA of remediation tickets for the compliance view: per severity (the highest severity among a
// ticket's findings), per owner (assignee) and per assignment group — open, overdue, resolved within
// the range, and the mean time to remediate (created → left the open states) of those resolved. One
// statement with grouping sets over the tickets linked to findings in scope.
import { pool } from "@/lib/db";
import { type TComplianceQuery, type TSlaRow } from "@/lib/schemas/compliance";

const SLA_SQL = `
  WITH relevant AS (
    -- Only tickets open now or resolved within the range count anywhere below.
    SELECT t."id", t."state", t."dueDate", t."createdAt", t."resolvedAt",
      COALESCE(NULLIF(t."assignedToName", ''), 'Unassigned') AS owner,
      COALESCE(NULLIF(t."assignmentGroupName", ''), 'No assignment group') AS grp
    FROM "Ticket" t
    WHERE t."state" = 'open' OR (t."resolvedAt" >= $2::date AND t."resolvedAt" < ($3::date + 1))
  ), sev AS (
    SELECT l."ticketId", (ARRAY['High', 'Medium', 'Low'])[min(CASE f."severity" WHEN 'High' THEN 1 WHEN 'Medium' THEN 2 ELSE 3 END)] AS severity,
      bool_or($1::text IS NULL OR f."subscriptionId" = $1) AS in_scope
    FROM relevant r JOIN "TicketLink" l ON l."ticketId" = r."id" JOIN "Finding" f ON f."id" = l."findingId"
    GROUP BY l."ticketId"
  ), scoped AS (
    SELECT r.*, sev.severity FROM relevant r JOIN sev ON sev."ticketId" = r."id" WHERE sev.in_scope
  ), marked AS (
    SELECT *, "state" = 'open' AS is_open, ("state" = 'open' AND "dueDate" < now()) AS is_overdue,
      ("state" <> 'open' AND "resolvedAt" >= $2::date AND "resolvedAt" < ($3::date + 1)) AS is_resolved
    FROM scoped
  )
  SELECT GROUPING(severity) = 0 AS by_severity, GROUPING(owner) = 0 AS by_owner,
    COALESCE(severity, owner, grp) AS name,
    count(*) FILTER (WHERE is_open)::int AS open,
    count(*) FILTER (WHERE is_overdue)::int AS overdue,
    count(*) FILTER (WHERE is_resolved)::int AS resolved,
    avg(EXTRACT(EPOCH FROM ("resolvedAt" - "createdAt")) / 3600) FILTER (WHERE is_resolved) AS hours
  FROM marked
  GROUP BY GROUPING SETS ((severity), (owner), (grp))`;

type Row = {
  by_severity: boolean;
  by_owner: boolean;
  name: string | null;
  open: number;
  overdue: number;
  resolved: number;
  hours: number | null;
};

/** Owners and groups shown: the busiest ones. */
const TOP = 15;

const SEVERITY_ORDER = ["High", "Medium", "Low"];

function toRow(r: Row): TSlaRow {
  return {
    name: r.name ?? "—",
    open: r.open,
    overdue: r.overdue,
    resolved: r.resolved,
    meanHoursToRemediate: r.hours === null ? null : Math.round(Number(r.hours) * 10) / 10,
  };
}

const busiest = (a: TSlaRow, b: TSlaRow) =>
  b.overdue - a.overdue || b.open - a.open || b.resolved - a.resolved || a.name.localeCompare(b.name);

export async function slaOf(
  query: Pick<TComplianceQuery, "subscriptionId" | "from" | "to">,
): Promise<{ bySeverity: TSlaRow[]; byOwner: TSlaRow[]; byGroup: TSlaRow[] }> {
  const { rows } = await pool().query<Row>(SLA_SQL, [query.subscriptionId ?? null, query.from, query.to]);
  const active = rows.filter((r) => r.open + r.resolved > 0);
  const bySeverity = SEVERITY_ORDER.map((s) => active.find((r) => r.by_severity && r.name === s)).map((r, i) =>
    r ? toRow(r) : { name: SEVERITY_ORDER[i]!, open: 0, overdue: 0, resolved: 0, meanHoursToRemediate: null },
  );
  return {
    bySeverity,
    byOwner: active
      .filter((r) => !r.by_severity && r.by_owner)
      .map(toRow)
      .sort(busiest)
      .slice(0, TOP),
    byGroup: active
      .filter((r) => !r.by_severity && !r.by_owner)
      .map(toRow)
      .sort(busiest)
      .slice(0, TOP),
  };
}
