import "server-only";

// The prefilled ticket form (POST /api/tickets/draft): the fields each ticket would get, the findings
// that already have an active ticket on the connection, and those that cannot be ticketed. Reads the
// database only, so the form opens instantly; ServiceNow checks the references at creation.
import { type Actor } from "@/lib/auth/actor";
import { assertRole } from "@/lib/connections/authorize";
import { severityMappingOf } from "@/lib/connections/dto";
import { type TTicketDraft, type TTicketDraftRequest } from "@/lib/schemas/tickets";
import { classifyGroups, groupFindings } from "./classify";
import { ticketRef } from "./conflicts";
import { loadUsableConnection } from "./create";
import { defaultFields } from "./draft-text";
import { loadFindings, unticketableReason } from "./findings";

export async function draftTickets(actor: Actor, input: TTicketDraftRequest): Promise<TTicketDraft> {
  assertRole(actor, "analyst", "Creating tickets");
  const connection = await loadUsableConnection(input.connectionId);
  const findings = await loadFindings(input.findingIds);

  // Conflicts are per finding here, whatever the grouping: the form shows each finding's ticket.
  const perFinding = await classifyGroups(connection, input.type, groupFindings(findings, "per-finding"));
  const ticketed = new Set([...perFinding.conflicts.map((c) => c.findingId), ...perFinding.repeats.flatMap((r) => r.findings.map((f) => f.id))]);
  const conflicts = [
    ...perFinding.conflicts.map((c) => ({ findingId: c.findingId, ticket: ticketRef(c.ticket) })),
    ...perFinding.repeats.flatMap((r) => r.findings.map((f) => ({ findingId: f.id, ticket: ticketRef(r.ticket) }))),
  ];
  const unticketable = findings.flatMap((f) => {
    const reason = unticketableReason(f);
    return reason && !ticketed.has(f.id) ? [{ findingId: f.id, reason }] : [];
  });
  const refused = new Set(unticketable.map((u) => u.findingId));
  const eligible = findings.filter((f) => !ticketed.has(f.id) && !refused.has(f.id));

  const mapping = severityMappingOf(connection.severityMapping);
  const defaults = { assignmentGroup: connection.defaultAssignmentGroup, callerId: connection.defaultCallerId };
  const now = new Date();
  const tickets = eligible.length
    ? groupFindings(eligible, input.grouping).map((group) => ({
        findingIds: group.map((f) => f.id),
        fields: defaultFields({ type: input.type, findings: group, mapping, defaults, now }),
      }))
    : [];
  return { connection: { id: connection.id, name: connection.name }, type: input.type, grouping: input.grouping, tickets, conflicts, unticketable };
}
