// Reconciliation rules per ticket (docs/DESIGN.md §4.3), as a pure function of the ticket and the state of
// its linked findings (unit-tested; reconcile.ts gathers the input in one query and carries out the plan):
//   - every linked finding remediated (Healthy / NotApplicable / gone from Defender) and the ticket open
//     → resolve it (change requests: a work note, never a forced close; problems: a work note and "ready
//     to resolve" in PostureDesk, since Rome the Table API does not apply problem state writes and a
//     person resolves the problem through its UI actions) — once per remediation episode, so a person
//     who reopens a resolved ticket is not overruled until the findings change again;
//   - a problem marked ready to resolve whose findings turn unhealthy again while it is still open → a
//     work note, and it is no longer ready to resolve;
//   - a finding Unhealthy again after the ticket was resolved/closed (its status changed after the
//     ticket left the open states) → the connection's regression policy: reopen (only a resolved
//     incident or remediation task can be reopened; closed and canceled records are read-only, and a
//     problem cannot be moved back through the Table API since Rome) or a new ticket that references
//     the old one;
//   - closed/resolved/canceled while a finding has been Unhealthy all along → drift: flagged, never reopened.
import { type TTicketState, type TTicketTable } from "@/lib/schemas/tickets";

export type TicketFacts = {
  ticketId: string;
  table: TTicketTable;
  state: TTicketState;
  rawState: string;
  isDrift: boolean;
  /** Linked (active) findings, by state. */
  findings: number;
  unhealthy: number;
  healthy: number;
  notApplicable: number;
  removed: number;
  /** Unhealthy findings whose status changed after the ticket left the open states. */
  regressedFindingIds: string[];
  /** Latest status change among the linked findings: identifies the current remediation episode. */
  lastStatusChangeAt: Date | null;
  /** Remediation episode of our last resolution (or "ready to resolve") of this ticket (from its history), if any. */
  lastResolvedEpisode: Date | null;
  /** Problems: when PostureDesk marked it ready to resolve (null when not). */
  readyToResolveAt: Date | null;
  /** Episode of the last reopen ServiceNow accepted but did not apply (not tried again in that episode). */
  lastNotAppliedReopen: Date | null;
};

export type ReconcileAction =
  | { kind: "resolve"; episode: Date | null }
  | { kind: "note_remediated"; episode: Date | null }
  | { kind: "ready_to_resolve"; episode: Date | null }
  | { kind: "not_ready" }
  | { kind: "reopen"; findingIds: string[] }
  | { kind: "replace"; findingIds: string[] };

export type ReconcilePlan = { action: ReconcileAction | null; isDrift: boolean };

/**
 * Incidents and remediation tasks in a resolved (not closed) state can go back to work. Problems cannot
 * through the Table API (Rome+: state writes are not applied; Re-analyze is a UI action): re-ticketed.
 */
export function canReopen(table: TTicketTable, rawState: string): boolean {
  return (table === "incident" && rawState === "6") || (table === "sn_vulc_result_group" && rawState === "101");
}

const REMEDIATED_ACTION: Record<TTicketTable, "resolve" | "note_remediated" | "ready_to_resolve"> = {
  incident: "resolve",
  sn_vulc_result_group: "resolve",
  change_request: "note_remediated",
  problem: "ready_to_resolve",
};

export function planTicket(facts: TicketFacts, policy: "reopen" | "new_ticket"): ReconcilePlan {
  if (facts.findings === 0) return { action: null, isDrift: false };
  const isOpen = facts.state === "open";
  if (isOpen) {
    if (facts.unhealthy > 0) return { action: facts.readyToResolveAt ? { kind: "not_ready" } : null, isDrift: false };
    const episode = facts.lastStatusChangeAt;
    const isDone = facts.lastResolvedEpisode !== null && (episode === null || facts.lastResolvedEpisode.getTime() >= episode.getTime());
    if (isDone) return { action: null, isDrift: false };
    return { action: { kind: REMEDIATED_ACTION[facts.table], episode }, isDrift: false };
  }
  if (facts.regressedFindingIds.length > 0) {
    const findingIds = [...facts.regressedFindingIds].sort();
    const isReopen = policy === "reopen" && canReopen(facts.table, facts.rawState);
    // A reopen ServiceNow did not apply is flagged on the ticket; it is tried again only when the findings change.
    const isReopenRefused =
      isReopen &&
      facts.lastNotAppliedReopen !== null &&
      facts.lastStatusChangeAt !== null &&
      facts.lastNotAppliedReopen.getTime() >= facts.lastStatusChangeAt.getTime();
    if (isReopenRefused) return { action: null, isDrift: false };
    // Findings Unhealthy all along stay on the old ticket: it remains flagged as drift.
    const stillDrift = facts.unhealthy > facts.regressedFindingIds.length && !isReopen;
    return { action: { kind: isReopen ? "reopen" : "replace", findingIds }, isDrift: stillDrift };
  }
  return { action: null, isDrift: facts.unhealthy > 0 };
}
