import "server-only";

// The prefilled ticket form (POST /api/tickets/draft): the fields each ticket would get, the findings
// that already have an active ticket on the connection, and those that cannot be ticketed. Reads the
// database only, so the form opens instantly; ServiceNow checks the references at creation.
import { type Actor } from "@/lib/auth/actor";
import { assertRole } from "@/lib/auth/authorize";
import { severityMappingOf } from "@/lib/connections/dto";
import { type TTicketDraft, type TTicketDraftRequest } from "@/lib/schemas/tickets";
import { classifyGroups, groupFindings } from "./classify";
import { ticketRef } from "./conflicts";
import { loadUsableConnection } from "./create";
import { defaultFields } from "./draft-text";
import { loadFindings, unticketableReason } from "./findings";
import { fieldDefaultsOf } from "@/lib/connections/dto";
import { loadTableSchema } from "@/lib/instance-schema/store";
import { renderDefaults } from "@/lib/instance-schema/templates";
import { MANAGED_COLUMNS } from "@/lib/instance-schema/validate";
import { templateFindings } from "./instance-fields";

export async function draftTickets(actor: Actor, input: TTicketDraftRequest): Promise<TTicketDraft> {
  assertRole(actor, "analyst", "Creating tickets");
  const connection = await loadUsableConnection(input.connectionId);
  const findings = await loadFindings(input.findingIds);

  // Conflicts are per finding here, whatever the grouping: the form shows each finding's ticket.
  const perFinding = await classifyGroups(connection, input.type, groupFindings(findings, "per-finding"));
  const ticketed = new Set([
    ...perFinding.conflicts.map((c) => c.findingId),
    ...perFinding.repeats.flatMap((r) => r.findings.map((f) => f.id)),
  ]);
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
  // The instance's fields: what ServiceNow requires on insert and what has a default (cached schema only).
  const isItsm = input.type === "incident" || input.type === "problem" || input.type === "change_request";
  const schema = isItsm ? await loadTableSchema(connection.id, input.type) : null;
  const fieldDefaults = isItsm ? (fieldDefaultsOf(connection.fieldDefaults)[input.type as "incident"] ?? {}) : {};
  const instanceFields = (schema?.fields ?? []).filter(
    (f) =>
      !(MANAGED_COLUMNS as readonly string[]).includes(f.name) &&
      (f.mandatorySource === "data_policy" || f.mandatorySource === "learned" || Object.hasOwn(fieldDefaults, f.name)),
  );
  const maxLengths = Object.fromEntries((schema?.fields ?? []).map((f) => [f.name, f.maxLength]));
  const inputs = eligible.length && Object.keys(fieldDefaults).length ? await templateFindings(eligible) : new Map();
  const tickets = eligible.length
    ? groupFindings(eligible, input.grouping).map((group) => ({
        findingIds: group.map((f) => f.id),
        fields: defaultFields({ type: input.type, findings: group, mapping, defaults, now }),
        instanceValues: Object.keys(fieldDefaults).length
          ? renderDefaults(
              fieldDefaults,
              group.map((f) => inputs.get(f.id)!),
              maxLengths,
            )
          : {},
      }))
    : [];
  return {
    connection: { id: connection.id, name: connection.name },
    type: input.type,
    grouping: input.grouping,
    tickets,
    conflicts,
    unticketable,
    instanceFields,
    isSchemaKnown: !isItsm || schema !== null,
  };
}
