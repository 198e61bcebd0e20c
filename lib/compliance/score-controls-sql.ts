import "server-only";
import { assertRole } from "@/lib/auth/authorize";

// GET /api/compliance/score-controls: SecureScoreControl rows (written by ingestion from
// secureScoreControls?$expand=definition) summed over the included subscriptions of active tenants, each
// with its recommendations (the definition's assessment metadata keys) and their unhealthy findings and
// ticket coverage in the same scope. Sorted by the points a remediation would add, like Defender's view.
import { type Actor } from "@/lib/auth/actor";
import { pool } from "@/lib/db";
import { type TScoreControl, type TScoreControls } from "@/lib/schemas/score-controls";
import { listSubscriptions, percent } from "./scope";

type ControlRow = {
  name: string;
  displayName: string;
  current: number;
  max: number;
  healthy: number;
  unhealthy: number;
  notApplicable: number;
  keys: string[];
};
type RecRow = { key: string; displayName: string; severity: "High" | "Medium" | "Low"; unhealthy: number; withTicket: number };

const CONTROLS_SQL = `
  SELECT c."controlName" AS name, (array_agg(c."displayName" ORDER BY c."updatedAt" DESC))[1] AS "displayName",
    sum(c."current")::float8 AS current, sum(c."max")::float8 AS max,
    sum(c."healthy")::int AS healthy, sum(c."unhealthy")::int AS unhealthy, sum(c."notApplicable")::int AS "notApplicable",
    coalesce(array_agg(DISTINCT k) FILTER (WHERE k IS NOT NULL), '{}') AS keys
  FROM "SecureScoreControl" c LEFT JOIN LATERAL unnest(c."assessmentKeys") AS k ON true
  WHERE lower(c."subscriptionId") = ANY($1::text[])
  GROUP BY c."controlName"`;

// Findings of the controls' recommendations in scope, counted per recommendation (index recommendationKey, status).
const RECS_SQL = `
  SELECT r."key", r."displayName", r."severity",
    count(f."id") FILTER (WHERE f."id" IS NOT NULL)::int AS unhealthy,
    count(f."id") FILTER (WHERE EXISTS (SELECT 1 FROM "TicketLink" l WHERE l."findingId" = f."id" AND l."activeConnectionId" IS NOT NULL))::int AS "withTicket"
  FROM "Recommendation" r
  LEFT JOIN "Finding" f ON f."recommendationKey" = r."key" AND f."status" = 'Unhealthy' AND f."removedAt" IS NULL
    AND f."subscriptionId" = ANY($2::text[])
    AND EXISTS (SELECT 1 FROM "AzureTenant" a WHERE a."id" = f."azureTenantId" AND a."deletedAt" IS NULL)
  WHERE r."key" = ANY($1::text[])
  GROUP BY r."key", r."displayName", r."severity"`;

const round2 = (n: number) => Math.round(n * 100) / 100;
const SEVERITY_RANK = { High: 0, Medium: 1, Low: 2 } as const;

export async function listScoreControls(actor: Actor, query: { subscriptionId?: string }): Promise<TScoreControls> {
  assertRole(actor, "manager", "Reading compliance");
  const subscriptions = (await listSubscriptions()).map((s) => s.subscriptionId);
  const scope = query.subscriptionId ? subscriptions.filter((s) => s === query.subscriptionId) : subscriptions;
  if (scope.length === 0) return { subscriptionId: query.subscriptionId ?? null, controls: [] };
  const controls = (await pool().query<ControlRow>(CONTROLS_SQL, [scope])).rows;
  const keys = [...new Set(controls.flatMap((c) => c.keys))];
  const recs = keys.length ? (await pool().query<RecRow>(RECS_SQL, [keys, scope])).rows : [];
  const recByKey = new Map(recs.map((r) => [r.key, r]));
  const out: TScoreControl[] = controls.map((c) => ({
    name: c.name,
    displayName: c.displayName,
    current: round2(c.current),
    max: round2(c.max),
    percent: percent(c.current, c.max),
    potentialIncrease: round2(Math.max(0, c.max - c.current)),
    healthyResources: c.healthy,
    unhealthyResources: c.unhealthy,
    notApplicableResources: c.notApplicable,
    recommendations: c.keys
      .flatMap((k) => {
        const r = recByKey.get(k);
        return r
          ? [{ key: r.key, displayName: r.displayName, severity: r.severity, unhealthyFindings: r.unhealthy, withTicket: r.withTicket }]
          : [];
      })
      .sort(
        (a, b) =>
          b.unhealthyFindings - a.unhealthyFindings ||
          SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
          a.displayName.localeCompare(b.displayName),
      ),
  }));
  out.sort(
    (a, b) =>
      b.potentialIncrease - a.potentialIncrease ||
      b.unhealthyResources - a.unhealthyResources ||
      a.displayName.localeCompare(b.displayName),
  );
  return { subscriptionId: query.subscriptionId ?? null, controls: out };
}
