import "server-only";

// From a planned ticket to the ticket service's request — the one place where a rule's action becomes
// ticket fields, so the sync engine and the tests create exactly what the dry run showed:
//
//   for (const planned of await planRuleTickets({ connectionId })) {
//     await createTickets(ruleActor(planned), ticketRequestFor(connectionId, planned), { ruleId: planned.ruleId, requestId });
//   }
//
// The ticket's correlation id derives from the findings it covers (lib/tickets/correlation.ts), so a
// retried or concurrent run finds the ticket instead of creating a second one.

import { type TCreateTicket, ZCreateTicket } from "@/lib/schemas/tickets";
import { type PlannedTicket } from "./plan";
import { type Caller } from "@/lib/auth/authorize";

/** Who creates a rule's tickets (audit log, Ticket.createdByType = "rule"). */
export function ruleActor(planned: Pick<PlannedTicket, "ruleId" | "ruleName">): Caller {
  return { type: "rule", id: planned.ruleId, name: `Rule "${planned.ruleName}"` };
}

/**
 * The POST /api/tickets body for a planned ticket: one ticket for all its findings, the rule's table,
 * assignment group, owner (as assignee), remediation timeframe and grace period. Validated like an API
 * request; a ZodError here means the plan holds something no request could (e.g. an owner tag value
 * spanning several lines) and is the engine's to record as an error event.
 */
export function ticketRequestFor(connectionId: string, planned: PlannedTicket): TCreateTicket {
  return ZCreateTicket.parse({
    connectionId,
    type: planned.table,
    findingIds: planned.findingIds,
    grouping: "single",
    remediationDays: planned.remediationDays,
    gracePeriod: planned.gracePeriod,
    ...(planned.assignmentGroup ? { assignmentGroup: planned.assignmentGroup } : {}),
    ...(planned.owner ? { assignedTo: planned.owner } : {}),
    ...(planned.table === "change_request" && planned.changeType ? { changeType: planned.changeType } : {}),
  });
}
