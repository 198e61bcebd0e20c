import "server-only";

// Reconcile (docs/DESIGN.md §4.3) over the connection's tickets and the findings actively linked to them:
// facts gathered in one set-based query, a plan per ticket (reconcile-plan.ts), ServiceNow writes for
// the tickets that need one (a few at a time), drift flags set or cleared set-based, then governance
// assignments brought in line with the tickets. Each failed item is an error event and a retry item;
// the next run re-evaluates it from fresh state, so it is retried exactly as far as it still applies.
import { db, pool, withTransaction } from "@/lib/db";
import { type ServiceNowConnection, type Ticket } from "@/lib/generated/prisma/client";
import { type TTicketTable } from "@/lib/schemas/tickets";
import { type ServiceNowClient } from "@/lib/servicenow";
import { mapLimit } from "./concurrency";
import { messageOf } from "./errors";
import { type SyncEventInput, writeSyncEvents } from "./events";
import { syncGovernanceFromTickets } from "./governance-sync";
import { type ActionContext, createReplacement, noteRemediated, reopenTicket, replaceTicket, resolveTicket } from "./reconcile-actions";
import { markNotReady, markReadyToResolve } from "./problem-actions";
import { planTicket, type ReconcileAction, type TicketFacts } from "./reconcile-plan";
import { type RunReporter } from "./reporter";
import { clearRetryItems, recordRetryItem } from "./retry-items";

const ACTION_CONCURRENCY = 4;

const FACTS_SQL = `
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

export type ReconcileInput = {
  connection: ServiceNowConnection;
  client: ServiceNowClient;
  runId: string;
  reporter?: RunReporter;
  /** Only these tickets (targeted runs); all of the connection's otherwise. */
  ticketIds?: string[];
};

export async function loadFacts(connectionId: string, ticketIds?: string[]): Promise<TicketFacts[]> {
  const { rows } = await pool().query<TicketFacts>(FACTS_SQL, [connectionId, ticketIds ?? null]);
  return rows;
}

type Planned = { facts: TicketFacts; action: ReconcileAction | null; isDrift: boolean };

async function execute(ctx: ActionContext, ticket: Ticket, planned: Planned & { action: ReconcileAction }): Promise<void> {
  const { action, facts } = planned;
  if (action.kind === "resolve") return resolveTicket(ctx, ticket, facts, action.episode);
  if (action.kind === "note_remediated") return noteRemediated(ctx, ticket, facts, action.episode);
  if (action.kind === "ready_to_resolve") return markReadyToResolve(ctx, ticket, facts, action.episode);
  if (action.kind === "not_ready") return markNotReady(ctx, ticket, facts);
  if (action.kind === "reopen") return reopenTicket(ctx, ticket, action.findingIds, facts.lastStatusChangeAt);
  return replaceTicket(ctx, ticket, action.findingIds);
}

/** Drift flags follow the plan; each change is an event (set-based, one statement each way). */
async function updateDrift(connectionId: string, plans: Planned[], tickets: Map<string, Ticket>, runId: string, reporter?: RunReporter, scope?: string[]): Promise<void> {
  const flag = plans.filter((p) => p.isDrift && !p.facts.isDrift).map((p) => p.facts.ticketId);
  const clear = plans.filter((p) => !p.isDrift && p.facts.isDrift).map((p) => p.facts.ticketId);
  await withTransaction(async (client) => {
    const flagged = flag.length ? (await client.query<{ id: string }>(`UPDATE "Ticket" SET "isDrift" = true, "driftSince" = now(), "updatedAt" = now() WHERE "id" = ANY($1::uuid[]) AND NOT "isDrift" RETURNING "id"`, [flag])).rows : [];
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
        return { action: "drift" as const, entityType: "ticket" as const, entityId: label(r.id), ticketId: r.id, before: { isDrift: false }, after: { isDrift: true, unhealthy: p.facts.unhealthy }, message: `${label(r.id)} is ${p.facts.state} in ServiceNow while ${p.facts.unhealthy === 1 ? "1 linked finding is" : `${p.facts.unhealthy} linked findings are`} still unhealthy: flagged "closed, not remediated" (not reopened)` };
      }),
      ...cleared.map((r) => ({ action: "drift" as const, entityType: "ticket" as const, entityId: label(r.id), ticketId: r.id, before: { isDrift: true }, after: { isDrift: false }, message: `${label(r.id)}: drift cleared (reopened, remediated or unlinked)` })),
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
async function pendingRegressions(connectionId: string, ticketIds?: string[]): Promise<Array<{ oldTicketId: string; findingIds: string[] }>> {
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

export async function reconcileConnection(input: ReconcileInput): Promise<{ ticketIds: string[] }> {
  const { connection, reporter } = input;
  const ctx: ActionContext = { connection, client: input.client, runId: input.runId, reporter };
  reporter?.phase("reconcile");

  // 1. Finish regressions an earlier run started.
  for (const pending of await pendingRegressions(connection.id, input.ticketIds)) {
    reporter?.assertAlive();
    const old = await db().ticket.findUnique({ where: { id: pending.oldTicketId } });
    if (!old) continue;
    await guarded(ctx, old, "regression", () => createReplacement(ctx, old, pending.findingIds));
  }

  // 2. Plan every ticket, act on those that need a ServiceNow write.
  const facts = await loadFacts(connection.id, input.ticketIds);
  const plans: Planned[] = facts.map((f) => ({ facts: f, ...planTicket(f, connection.regressionPolicy) }));
  for (const p of plans) {
    // Remediation-task tickets linked before Configuration Compliance became read-only: ServiceNow's CC
    // engine owns their state (PostureDesk never writes sn_vulc tables), so no action on them.
    if (p.facts.table === "sn_vulc_result_group") p.action = null;
  }
  const actionable = plans.filter((p): p is Planned & { action: ReconcileAction } => p.action !== null);
  const rows = await db().ticket.findMany({ where: { id: { in: plans.map((p) => p.facts.ticketId) } } });
  const tickets = new Map(rows.map((t) => [t.id, t]));
  reporter?.set("reconcile.tickets", plans.length);
  reporter?.set("reconcile.actions", actionable.length);
  reporter?.progress(0, actionable.length);
  const failed = new Set<string>();
  await mapLimit(actionable, ACTION_CONCURRENCY, async (p) => {
    reporter?.assertAlive();
    const ticket = tickets.get(p.facts.ticketId)!;
    const ok = await guarded(ctx, ticket, "ticket_action", () => execute(ctx, ticket, p), p.action.kind);
    if (!ok) failed.add(ticket.id);
    reporter?.advance();
  });

  // 3. Drift flags (a failed reopen leaves the ticket as it was: not drift, retried next run).
  await updateDrift(connection.id, plans.filter((p) => !failed.has(p.facts.ticketId)), tickets, input.runId, reporter, input.ticketIds);

  // 4. Governance assignments follow the tickets (after the writes above changed some states).
  const scope = input.ticketIds ?? undefined;
  await syncGovernanceFromTickets({ connectionId: connection.id, ticketIds: scope, runId: input.runId, reporter });
  return { ticketIds: plans.map((p) => p.facts.ticketId) };
}

/** Runs one item's action; a failure is an error event and a retry item, never the run's end. */
async function guarded(ctx: ActionContext, ticket: Pick<Ticket, "id" | "number" | "table">, type: "ticket_action" | "regression", work: () => Promise<void>, what?: string): Promise<boolean> {
  try {
    await work();
    await clearRetryItems(ctx.connection.id, type, [ticket.id]);
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === "RunLostError") throw error;
    const message = messageOf(error);
    await recordRetryItem(ctx.connection.id, type, ticket.id, message, ctx.runId);
    const events: SyncEventInput[] = [
      { action: "error", entityType: "ticket", entityId: ticket.number, ticketId: ticket.id, message: `${ticket.number} (${ticket.table as TTicketTable}): ${what ?? type} failed: ${message}`, isRetryable: true },
    ];
    await writeSyncEvents(ctx.runId, events);
    ctx.reporter?.noteEvents(events);
    return false;
  }
}
