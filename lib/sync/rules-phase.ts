import "server-only";
import { type ServiceNowConnectionRow } from "@/lib/db";

// Automation rules (docs/DESIGN.md §4.4): the planner (lib/rules/plan.ts, the same one the dry run shows)
// lists the tickets the connection's enabled rules want for Unhealthy findings without an active ticket;
// each is created through the ticket service (exactly-once by correlation id). A ticket that cannot be
// created is an error event and a retry item; its findings are still unticketed, so the next run's plan
// contains them again. "created" events come from the tickets themselves (recordCreatedTickets), so a
// ticket committed just before a crash still gets its history line from the next run.
import { env } from "@/lib/env";
import { planRuleTickets, type PlannedTicket } from "@/lib/rules/plan";
import { ruleActor, ticketRequestFor } from "@/lib/rules/apply";
import { createTickets } from "@/lib/tickets/create";
import { isAppError } from "@/lib/http/errors";
import { mapLimit } from "./concurrency";
import { messageOf } from "./errors";
import { type SyncEventInput, writeSyncEvents } from "./events";
import { type RunReporter } from "./reporter-sql";
import { clearRetryItems, recordRetryItem, retryItemsOf } from "./retry-items";
import { recordCreatedTickets } from "./rules-phase-sql";
export { recordCreatedTickets } from "./rules-phase-sql";

/**
 * Tickets created side by side. Each holds a pooled database connection while it talks to ServiceNow,
 * so the pool bounds it (two connections stay free for the lease and the rest of the run). The work is
 * mostly waiting (ServiceNow, Azure, row locks), so more than the 2 cores' worth helps.
 */
export function ruleConcurrency(): number {
  return Math.max(2, Math.min(8, env().DATABASE_POOL_MAX - 2));
}

const retryId = (p: Pick<PlannedTicket, "ruleId" | "groupKey">) => `${p.ruleId}:${p.groupKey}`;

export async function applyRules(input: {
  connection: ServiceNowConnectionRow;
  runId: string;
  reporter?: RunReporter;
  findingIds?: string[];
}): Promise<{ created: number; failed: number }> {
  const { connection, reporter } = input;
  reporter?.phase("rules");
  const planned = await planRuleTickets({ connectionId: connection.id, ...(input.findingIds ? { findingIds: input.findingIds } : {}) });
  reporter?.set("rules.planned", planned.length);
  reporter?.progress(0, planned.length);
  let created = 0;
  let failed = 0;
  await mapLimit(planned, ruleConcurrency(), async (p) => {
    reporter?.assertAlive();
    try {
      const outcome = await createRuleTicket(connection.id, input.runId, p, reporter);
      created += outcome.tickets.filter((t) => t.isNew).length;
      // Not confirmed by ServiceNow: persisted as a ticket request that the ticket-request job retries
      // (exactly once by correlation id); its outcome gets its own entry in the sync history.
      if (outcome.pending.length > 0) {
        const events: SyncEventInput[] = outcome.pending.map((pending) => ({
          action: "skipped",
          entityType: "ticket_request",
          entityId: pending.id,
          findingId: pending.findingIds.length === 1 ? pending.findingIds[0] : null,
          after: { rule: p.ruleName, groupKey: p.groupKey, findingIds: pending.findingIds, ticketRequestId: pending.id },
          message: `Rule "${p.ruleName}": ServiceNow did not confirm the ticket for ${pending.findingIds.length} finding(s) (${p.shortDescription}); it is retried in the background`,
        }));
        await writeSyncEvents(input.runId, events);
        reporter?.noteEvents(events);
      }
      await clearRetryItems(connection.id, "rule_ticket", [retryId(p)]);
    } catch (error) {
      failed++;
      const message = messageOf(error);
      await recordRetryItem(connection.id, "rule_ticket", retryId(p), message, input.runId);
      const events: SyncEventInput[] = [
        {
          action: "error",
          entityType: "rule",
          entityId: p.ruleId,
          findingId: p.findingIds.length === 1 ? p.findingIds[0] : null,
          after: { rule: p.ruleName, groupKey: p.groupKey, findingIds: p.findingIds },
          message: `Rule "${p.ruleName}" could not create its ticket for ${p.findingCount} finding(s) (${p.shortDescription}): ${message}`,
          isRetryable: true,
        },
      ];
      await writeSyncEvents(input.runId, events);
      reporter?.noteEvents(events);
    }
    reporter?.advance();
  });
  // Groups planned in an earlier run that no longer are (remediated, ticketed by hand): nothing to retry.
  const stale = (await retryItemsOf(connection.id, "rule_ticket"))
    .map((i) => i.entityId)
    .filter((id) => !planned.some((p) => retryId(p) === id));
  await clearRetryItems(connection.id, "rule_ticket", stale);
  await recordCreatedTickets(connection.id, input.runId, reporter);
  reporter?.count("rules.created", created);
  return { created, failed };
}

function isUnknownAssignee(error: unknown): boolean {
  const details = isAppError(error) ? (error.details as { errors?: Array<{ path: string }> } | undefined) : undefined;
  return isAppError(error) && error.code === "VALIDATION" && !!details?.errors?.some((e) => e.path === "body.assignedTo");
}

/**
 * A rule's ticket. An owner (fixed, or from a resource tag) who has no ServiceNow account must not
 * block the ticket run after run: it is created unassigned, with a work note saying why, the owner
 * stays the Defender governance owner, and the run records a warning.
 */
async function createRuleTicket(connectionId: string, runId: string, p: PlannedTicket, reporter?: RunReporter) {
  const request = ticketRequestFor(connectionId, p);
  try {
    return await createTickets(ruleActor(p), request, { ruleId: p.ruleId });
  } catch (error) {
    if (!isUnknownAssignee(error) || !p.owner) throw error;
    const { assignedTo: _unknown, ...unassigned } = request;
    const note = `Owner "${p.owner}" from rule "${p.ruleName}" has no ServiceNow account; the ticket is unassigned. Defender's governance owner is ${p.owner}.`;
    const outcome = await createTickets(ruleActor(p), { ...unassigned, workNotes: note }, { ruleId: p.ruleId, governanceOwner: p.owner });
    const events: SyncEventInput[] = [
      {
        action: "skipped",
        entityType: "rule",
        entityId: p.ruleId,
        findingId: p.findingIds.length === 1 ? p.findingIds[0] : null,
        after: { owner: p.owner, groupKey: p.groupKey },
        message: note,
      },
    ];
    await writeSyncEvents(runId, events);
    reporter?.noteEvents(events);
    return outcome;
  }
}
