import "server-only";
import { pool, withTransaction } from "@/lib/db";
import { type Ticket } from "@/lib/generated/prisma/client";
import { type SyncEventInput, writeSyncEvents } from "./events";
import { type ReconcileAction, type TicketFacts } from "./reconcile-plan";
import { type RunReporter } from "./reporter-sql";

// The SQL of reconcile.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

export const FACTS_SQL = `
  SELECT t."id" AS "ticketId", t."table", t."state", t."rawState", t."isDrift", t."readyToResolveAt",
    count(*)::int AS "findings",
    count(*) FILTER (WHERE f."removedAt" IS NULL AND f."status" = 'Unhealthy')::int AS "unhealthy",
    count(*) FILTER (WHERE f."removedAt" IS NULL AND f."status" = 'Healthy')::int AS "healthy",
    count(*) FILTER (WHERE f."removedAt" IS NULL AND f."status" = 'NotApplicable')::int AS "notApplicable",
    count(*) FILTER (WHERE f."removedAt" IS NOT NULL)::int AS "removed",
    COALESCE(array_agg(f."id"::text ORDER BY f."id") FILTER (
      WHERE f."removedAt" IS NULL AND f."status" = 'Unhealthy' AND t."state" <> 'open'
        AND COALESCE(f."statusChangedAt", f."firstSeenAt") > COALESCE(t."resolvedAt", t."snUpdatedAt", t."updatedAt")
    ), '{}') AS "regressedFindingIds",
    max(GREATEST(COALESCE(f."statusChangedAt", f."firstSeenAt"), COALESCE(f."removedAt", f."firstSeenAt"))) AS "lastStatusChangeAt",
    (SELECT max((e."after"->>'episode')::timestamptz) FROM "SyncEvent" e
      WHERE e."ticketId" = t."id" AND e."action" IN ('resolved', 'ready_to_resolve', 'not_applied') AND e."after" ? 'episode' AND COALESCE(e."after"->>'write', 'resolve') <> 'reopen') AS "lastResolvedEpisode",
    (SELECT max((e."after"->>'episode')::timestamptz) FROM "SyncEvent" e
      WHERE e."ticketId" = t."id" AND e."action" = 'not_applied' AND e."after"->>'write' = 'reopen') AS "lastNotAppliedReopen"
  FROM "Ticket" t
  JOIN "TicketLink" l ON l."ticketId" = t."id" AND l."activeConnectionId" = t."connectionId"
  JOIN "Finding" f ON f."id" = l."findingId"
  WHERE t."connectionId" = $1::uuid AND ($2::uuid[] IS NULL OR t."id" = ANY($2::uuid[]))
  GROUP BY t."id"`;

export async function loadFacts(connectionId: string, ticketIds?: string[]): Promise<TicketFacts[]> {
  const { rows } = await pool().query<TicketFacts>(FACTS_SQL, [connectionId, ticketIds ?? null]);
  return rows;
}

export type Planned = { facts: TicketFacts; action: ReconcileAction | null; isDrift: boolean };

/** Drift flags follow the plan; each change is an event (set-based, one statement each way). */
export async function updateDrift(
  connectionId: string,
  plans: Planned[],
  tickets: Map<string, Ticket>,
  runId: string,
  reporter?: RunReporter,
  scope?: string[],
): Promise<void> {
  const flag = plans.filter((p) => p.isDrift && !p.facts.isDrift).map((p) => p.facts.ticketId);
  const clear = plans.filter((p) => !p.isDrift && p.facts.isDrift).map((p) => p.facts.ticketId);
  await withTransaction(async (client) => {
    const flagged = flag.length
      ? (
          await client.query<{ id: string }>(
            `UPDATE "Ticket" SET "isDrift" = true, "driftSince" = now(), "updatedAt" = now() WHERE "id" = ANY($1::uuid[]) AND NOT "isDrift" RETURNING "id"`,
            [flag],
          )
        ).rows
      : [];
    // Drifted tickets with no active link left (all findings unlinked) are not drifting any more either.
    const cleared = (
      await client.query<{ id: string }>(
        `UPDATE "Ticket" t SET "isDrift" = false, "driftSince" = NULL, "updatedAt" = now()
         WHERE t."connectionId" = $1::uuid AND t."isDrift" AND ($3::uuid[] IS NULL OR t."id" = ANY($3::uuid[]))
           AND (t."id" = ANY($2::uuid[]) OR NOT EXISTS (SELECT 1 FROM "TicketLink" l WHERE l."ticketId" = t."id" AND l."activeConnectionId" = t."connectionId"))
         RETURNING t."id"`,
        [connectionId, clear, scope ?? null],
      )
    ).rows;
    const label = (id: string) => tickets.get(id)?.number ?? id;
    const events: SyncEventInput[] = [
      ...flagged.map((r) => {
        const p = plans.find((x) => x.facts.ticketId === r.id)!;
        return {
          action: "drift" as const,
          entityType: "ticket" as const,
          entityId: label(r.id),
          ticketId: r.id,
          before: { isDrift: false },
          after: { isDrift: true, unhealthy: p.facts.unhealthy },
          message: `${label(r.id)} is ${p.facts.state} in ServiceNow while ${p.facts.unhealthy === 1 ? "1 linked finding is" : `${p.facts.unhealthy} linked findings are`} still unhealthy: flagged "closed, not remediated" (not reopened)`,
        };
      }),
      ...cleared.map((r) => ({
        action: "drift" as const,
        entityType: "ticket" as const,
        entityId: label(r.id),
        ticketId: r.id,
        before: { isDrift: true },
        after: { isDrift: false },
        message: `${label(r.id)}: drift cleared (reopened, remediated or unlinked)`,
      })),
    ];
    await writeSyncEvents(runId, events, client);
    reporter?.noteEvents(events);
  });
}

/**
 * Regressions whose new ticket was not created (the run stopped between moving the findings off the
 * old ticket and creating the new one, or ServiceNow refused): still unhealthy, still without an active
 * ticket, their last link closed for a regression. Also marks replacements created right before a crash.
 */
export async function pendingRegressions(
  connectionId: string,
  ticketIds?: string[],
): Promise<Array<{ oldTicketId: string; findingIds: string[] }>> {
  await pool().query(
    `UPDATE "Ticket" n SET "replacesTicketId" = substring(old."unlinkReason" from 12)::uuid, "updatedAt" = now()
     FROM "TicketLink" cur
     JOIN "TicketLink" old ON old."findingId" = cur."findingId" AND old."connectionId" = cur."connectionId" AND old."module" = cur."module"
       AND old."unlinkReason" LIKE 'regression:%' AND old."unlinkedAt" <= cur."linkedAt"
     WHERE cur."ticketId" = n."id" AND cur."activeConnectionId" = $1::uuid AND n."replacesTicketId" IS NULL AND n."createdByType" = 'system'
       AND n."createdAt" >= old."unlinkedAt"`,
    [connectionId],
  );
  const { rows } = await pool().query<{ oldTicketId: string; findingIds: string[] }>(
    `WITH latest AS (
       SELECT DISTINCT ON (l."findingId") l."findingId", l."ticketId", l."unlinkReason"
       FROM "TicketLink" l
       WHERE l."connectionId" = $1::uuid AND l."module" = 'itsm' AND l."activeConnectionId" IS NULL
       ORDER BY l."findingId", l."unlinkedAt" DESC
     )
     SELECT latest."ticketId" AS "oldTicketId", array_agg(latest."findingId"::text ORDER BY latest."findingId") AS "findingIds"
     FROM latest JOIN "Finding" f ON f."id" = latest."findingId"
     WHERE latest."unlinkReason" = 'regression:' || latest."ticketId"::text
       AND f."status" = 'Unhealthy' AND f."removedAt" IS NULL
       AND ($2::uuid[] IS NULL OR latest."ticketId" = ANY($2::uuid[]))
       AND NOT EXISTS (SELECT 1 FROM "TicketLink" a WHERE a."findingId" = latest."findingId" AND a."activeConnectionId" = $1::uuid AND a."module" = 'itsm')
     GROUP BY latest."ticketId"`,
    [connectionId, ticketIds ?? null],
  );
  return rows;
}
