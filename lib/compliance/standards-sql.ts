import "server-only";

import { pool } from "@/lib/db";
import { AppError } from "@/lib/http/errors";
import {
  type TComplianceAssessment,
  type TComplianceControl,
  type TComplianceControlDetail,
  type TComplianceTicket,
  type TControlState,
  type TStandardSummary,
} from "@/lib/schemas/compliance";
import { isOverdue } from "@/lib/tickets/dto";
import { ticketStateLabel } from "@/lib/tickets/states";
import { type TTicketTable } from "@/lib/schemas/tickets";
import { byNaturalName, ROLLUP_STATE } from "./scope";
import { assertRole, type Caller } from "@/lib/auth/authorize";

// The SQL of standards.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

export const STANDARDS_SQL = `
  WITH c AS (
    SELECT "standardName", "name", ${ROLLUP_STATE} AS state
    FROM "RegulatoryControl" WHERE ($1::text IS NULL OR "subscriptionId" = $1) AND ($2::text IS NULL OR "standardName" = $2)
    GROUP BY "standardName", "name"
  )
  SELECT "standardName" AS name,
    count(*) FILTER (WHERE state = 'Passed')::int AS passed, count(*) FILTER (WHERE state = 'Failed')::int AS failed,
    count(*) FILTER (WHERE state = 'Skipped')::int AS skipped, count(*) FILTER (WHERE state = 'Unsupported')::int AS unsupported
  FROM c GROUP BY "standardName"`;

export function standardState(s: { passed: number; failed: number; skipped: number }): TControlState {
  return s.failed > 0 ? "Failed" : s.passed > 0 ? "Passed" : s.skipped > 0 ? "Skipped" : "Unsupported";
}

/** Each standard with its controls counted by state (over the subscription, or all of them). */
export async function standardsOf(subscriptionId: string | null, standard: string | null = null): Promise<TStandardSummary[]> {
  const { rows } = await pool().query<Omit<TStandardSummary, "state">>(STANDARDS_SQL, [subscriptionId, standard]);
  return rows.map((r) => ({ ...r, state: standardState(r) })).sort((a, b) => a.name.localeCompare(b.name));
}

export const CONTROLS_SQL = `
  SELECT "name", max("description") AS description, ${ROLLUP_STATE} AS state,
    sum("passedAssessments")::int AS "passedAssessments", sum("failedAssessments")::int AS "failedAssessments",
    sum("skippedAssessments")::int AS "skippedAssessments", count(*) FILTER (WHERE "state" = 'Failed')::int AS "failingSubscriptions"
  FROM "RegulatoryControl"
  WHERE "standardName" = $1 AND ($2::text IS NULL OR "subscriptionId" = $2) AND ($3::text IS NULL OR "name" = $3)
  GROUP BY "name"`;

export const STATE_ORDER: Record<TControlState, number> = { Failed: 0, Passed: 1, Skipped: 2, Unsupported: 3 };

export const byStateThenName = (a: { state: TControlState; name: string }, b: { state: TControlState; name: string }) =>
  STATE_ORDER[a.state] - STATE_ORDER[b.state] || byNaturalName(a, b);

export async function controlsOf(standard: string, subscriptionId: string | null, control: string | null): Promise<TComplianceControl[]> {
  const { rows } = await pool().query<TComplianceControl>(CONTROLS_SQL, [standard, subscriptionId, control]);
  return rows.map((r) => ({ ...r, description: r.description ?? "" })).sort(byStateThenName);
}

export function notFound(what: string): AppError {
  return new AppError("NOT_FOUND", { message: `${what} is not reported by Defender for Cloud for the subscriptions in scope` });
}

export const ASSESSMENTS_SQL = `
  SELECT a."name", max(a."description") AS description, ${ROLLUP_STATE.replaceAll('"state"', 'a."state"')} AS state,
    sum(a."passedResources")::int AS "passedResources", sum(a."failedResources")::int AS "failedResources", sum(a."skippedResources")::int AS "skippedResources",
    max(a."recommendationKey") AS "recommendationKey", max(r."displayName") AS "displayName", max(r."severity"::text) AS severity
  FROM "RegulatoryAssessment" a
  LEFT JOIN "Recommendation" r ON r."key" = a."recommendationKey"
  WHERE a."standardName" = $1 AND a."controlName" = $2 AND ($3::text IS NULL OR a."subscriptionId" = $3)
  GROUP BY a."name"`;

/** Unhealthy findings of the recommendations in scope, and per finding its active tickets. */
export const FINDING_TICKETS_SQL = `
  WITH f AS (
    SELECT f."id", f."recommendationKey"
    FROM "Finding" f JOIN "AzureTenant" a ON a."id" = f."azureTenantId" AND a."deletedAt" IS NULL
    WHERE f."recommendationKey" = ANY($1::text[]) AND f."status" = 'Unhealthy' AND f."removedAt" IS NULL AND ($2::text IS NULL OR f."subscriptionId" = $2)
  ), counts AS (
    SELECT f."recommendationKey", count(*)::int AS unhealthy,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM "TicketLink" l JOIN "Ticket" t ON t."id" = l."ticketId"
        WHERE l."findingId" = f."id" AND l."activeConnectionId" IS NOT NULL AND t."state" = 'open'))::int AS covered
    FROM f GROUP BY f."recommendationKey"
  ), tickets AS (
    SELECT f."recommendationKey", t."id", t."number", t."url", t."table", t."module", t."state", t."rawState", t."isDrift", t."dueDate", t."assignedToName", count(*)::int AS findings
    FROM f JOIN "TicketLink" l ON l."findingId" = f."id" AND l."activeConnectionId" IS NOT NULL
    JOIN "Ticket" t ON t."id" = l."ticketId"
    GROUP BY f."recommendationKey", t."id"
  )
  SELECT 'count' AS kind, counts."recommendationKey", counts.unhealthy, counts.covered, NULL::jsonb AS ticket FROM counts
  UNION ALL
  SELECT 'ticket', tickets."recommendationKey", NULL, NULL, to_jsonb(tickets) FROM tickets`;

export type TicketJson = {
  id: string;
  number: string;
  url: string;
  table: TTicketTable;
  module: "itsm" | "cc";
  state: TComplianceTicket["state"];
  rawState: string;
  isDrift: boolean;
  dueDate: string | null;
  assignedToName: string | null;
  findings: number;
};

/** Tickets listed per assessment (the busiest first); the recommendation's page lists them all. */
export const MAX_TICKETS = 50;

export async function getControlDetail(
  actor: Caller,
  standard: string,
  control: string,
  scope: { subscriptionId?: string },
): Promise<TComplianceControlDetail> {
  assertRole(actor, "manager", "Reading compliance");
  const sub = scope.subscriptionId ?? null;
  const [controls, assessments] = await Promise.all([
    controlsOf(standard, sub, control),
    pool().query<
      Omit<TComplianceAssessment, "recommendation" | "unhealthyFindings" | "coveredFindings" | "tickets"> & {
        recommendationKey: string | null;
        displayName: string | null;
        severity: "High" | "Medium" | "Low" | null;
      }
    >(ASSESSMENTS_SQL, [standard, control, sub]),
  ]);
  if (!controls[0]) throw notFound(`The control "${control}" of "${standard}"`);
  const keys = [...new Set(assessments.rows.map((a) => a.recommendationKey).filter((k): k is string => k !== null))];
  const { rows } = keys.length
    ? await pool().query<{
        kind: "count" | "ticket";
        recommendationKey: string;
        unhealthy: number | null;
        covered: number | null;
        ticket: TicketJson | null;
      }>(FINDING_TICKETS_SQL, [keys, sub])
    : { rows: [] };
  const now = new Date();
  const counts = new Map(
    rows.filter((r) => r.kind === "count").map((r) => [r.recommendationKey, { unhealthy: r.unhealthy ?? 0, covered: r.covered ?? 0 }]),
  );
  const tickets = new Map<string, TComplianceTicket[]>();
  for (const r of rows) {
    if (r.kind !== "ticket" || !r.ticket) continue;
    const t = r.ticket;
    const dto: TComplianceTicket = {
      id: t.id,
      number: t.number,
      url: t.url,
      table: t.table,
      module: t.module,
      state: t.state,
      stateLabel: ticketStateLabel(t.table, t.rawState),
      isDrift: t.isDrift,
      isOverdue: isOverdue({ state: t.state, dueDate: t.dueDate ? new Date(t.dueDate) : null }, now),
      assignedToName: t.assignedToName,
      findings: t.findings,
    };
    tickets.set(r.recommendationKey, [...(tickets.get(r.recommendationKey) ?? []), dto]);
  }
  const openFirst = (a: TComplianceTicket, b: TComplianceTicket) =>
    Number(b.state === "open") - Number(a.state === "open") || b.findings - a.findings || a.number.localeCompare(b.number);
  return {
    standard,
    control: controls[0],
    subscriptionId: sub,
    assessments: assessments.rows
      .map((a) => ({
        name: a.name,
        description: a.description ?? "",
        state: a.state,
        passedResources: a.passedResources,
        failedResources: a.failedResources,
        skippedResources: a.skippedResources,
        recommendation:
          a.recommendationKey && a.displayName && a.severity
            ? { key: a.recommendationKey, displayName: a.displayName, severity: a.severity }
            : null,
        unhealthyFindings: (a.recommendationKey && counts.get(a.recommendationKey)?.unhealthy) || 0,
        coveredFindings: (a.recommendationKey && counts.get(a.recommendationKey)?.covered) || 0,
        tickets: (a.recommendationKey ? (tickets.get(a.recommendationKey) ?? []) : []).sort(openFirst).slice(0, MAX_TICKETS),
      }))
      .sort(
        (a, b) =>
          STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
          b.unhealthyFindings - a.unhealthyFindings ||
          a.description.localeCompare(b.description),
      ),
  };
}
