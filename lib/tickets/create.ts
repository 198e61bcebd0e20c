import "server-only";

// POST /api/tickets: tickets from findings — one for all, or one per finding — with the prefilled
// fields and the analyst's overrides. Repeating a request returns the tickets it created (200), never
// new ones; findings with another active ticket on the connection are a 409 naming it. After the
// tickets are committed, Defender's governance assignments are written; an Azure failure is recorded
// on the assignment (retried by the sync engine) and never fails the ticket. Configuration Compliance
// remediation tasks are never created here: ServiceNow's remediation task rules make them (lib/compliance-cc).
//
// Persisted intent: after the database-only checks and before the first ServiceNow call, each ticket to
// create is written as a TicketRequest (lib/tickets/requests.ts). A ticket ServiceNow does not confirm
// (5xx, timeout, dropped answer, throttling) is not an error for the caller: it is answered under
// `pending` (POST /api/tickets → 202) and the `ticket-request` job retries it, exactly once by
// correlation id. A refusal retrying cannot fix (ACL, unknown assignee, conflict) fails as before.

import { assertRole, type Caller } from "@/lib/auth/authorize";
import { serviceNowClientFor, WITH_CREDENTIALS } from "@/lib/connections/client";
import { severityMappingOf } from "@/lib/connections/dto";
import { db } from "@/lib/db";
import { pushGovernance } from "@/lib/governance/push";
import { AppError, isAppError } from "@/lib/http/errors";
import { type TCreatedTicket, type TCreateTicket, type TPendingTicket } from "@/lib/schemas/tickets";
import { type TicketRequest } from "@/lib/generated/prisma/client";
import { classifyGroups, groupFindings } from "./classify";
import { conflictError } from "./conflicts";
import { type CreateContext, createOne, type CreateOneResult } from "./create-one";
import { defaultFields, withOverrides } from "./draft-text";
import { assertTicketable, loadFindings, type TicketFinding } from "./findings";
import { explainRefusal } from "./refusal";
import { prepareInstanceFields } from "./instance-fields";
import { resolveReferences } from "./references";
import { scheduleTicketRequests } from "./request-job";
import { persistTicketRequests, recordFailedAttempt } from "./requests";
import { type CiLookup } from "./cis";
import { listAffectedCis, lookupTicketCis } from "./ticket-cis";

export type CreateTicketsOutcome = {
  /** True when at least one ticket was created by this call (201), false when all existed (200). */
  isCreated: boolean;
  tickets: TCreatedTicket[];
  /** Tickets ServiceNow has not confirmed: their requests are retried by the ticket-request job (202). */
  pending: TPendingTicket[];
  /** Groups that failed while others succeeded (per-finding grouping); empty otherwise. */
  failures: Array<{ findingIds: string[]; code: string; message: string }>;
};

/** Groups created side by side (per-finding grouping); each holds a database connection while it works. */
const CONCURRENCY = 4;

export async function loadUsableConnection(connectionId: string) {
  const connection = await db().serviceNowConnection.findUnique({ where: { id: connectionId }, omit: WITH_CREDENTIALS });
  if (!connection) {
    throw new AppError("VALIDATION", {
      message: "Unknown ServiceNow connection",
      details: { errors: [{ path: "body.connectionId", message: "no such connection" }] },
    });
  }
  if (connection.deletedAt)
    throw new AppError("CONFLICT", { message: `The ServiceNow connection "${connection.name}" is archived; choose another one` });
  if (!connection.itsmEnabled)
    throw new AppError("CONFLICT", { message: `The ITSM module is disabled on the connection "${connection.name}"` });
  return connection;
}

function toCreated(r: Pick<CreateOneResult, "ticket" | "findingIds" | "isNew"> & { warnings?: string[] }): TCreatedTicket {
  return {
    id: r.ticket.id,
    number: r.ticket.number,
    state: r.ticket.state,
    url: r.ticket.url,
    table: r.ticket.table,
    findingIds: r.findingIds,
    isNew: r.isNew,
    ...(r.warnings?.length ? { warnings: r.warnings } : {}),
  };
}

export type CreateTicketsMeta = {
  requestId?: string;
  ruleId?: string;
  /** Defender governance owner when it is not the ServiceNow assignee (a rule's owner who has no ServiceNow account). */
  governanceOwner?: string;
};

export async function createTickets(actor: Caller, input: TCreateTicket, meta: CreateTicketsMeta = {}): Promise<CreateTicketsOutcome> {
  assertRole(actor, "analyst", "Creating tickets");
  const connection = await loadUsableConnection(input.connectionId);
  const findings = await loadFindings(input.findingIds);
  const groups = groupFindings(findings, input.grouping);

  // Repeats and conflicts are answered from the database alone: twenty concurrent repeats of a request
  // cost twenty queries, not twenty ServiceNow round trips.
  const classified = await classifyGroups(connection, input.type, groups);
  if (classified.conflicts.length > 0) throw conflictError(classified.conflicts);
  const repeats = classified.repeats.map((r) => toCreated({ ticket: r.ticket, findingIds: r.findings.map((f) => f.id), isNew: false }));
  if (classified.fresh.length === 0) return { isCreated: false, tickets: repeats, pending: [], failures: [] };

  assertTicketable(classified.fresh.flat());
  const now = new Date();
  if (input.dueDate && new Date(input.dueDate.length === 10 ? `${input.dueDate}T23:59:59Z` : input.dueDate) <= now) {
    throw new AppError("VALIDATION", {
      message: "The due date is in the past",
      details: { errors: [{ path: "body.dueDate", message: "must be in the future" }] },
    });
  }
  // Instance fields (defaults + request values, validated, mandatory ones present): a separate step that
  // answers 422 before anything is persisted or sent to ServiceNow.
  const instance = await prepareInstanceFields(connection, input, classified.fresh);
  const mapping = severityMappingOf(connection.severityMapping);
  // The references as given (resolved to sys_ids by each attempt); in the fields they are display text only.
  const defaults = {
    assignmentGroup: input.assignmentGroup ?? connection.defaultAssignmentGroup ?? null,
    callerId: input.callerId ?? connection.defaultCallerId ?? null,
  };
  const toCreate = classified.fresh.map((group) => ({
    findings: group,
    fields: withOverrides(defaultFields({ type: input.type, findings: group, mapping, defaults, now }), input, { findings: group, now }),
    instanceValues: instance.valuesFor(group),
  }));

  // ── Persisted intent: nothing below may lose what the user asked for ──
  const requests = await persistTicketRequests(
    {
      actor,
      connection,
      type: input.type,
      options: {
        assignmentGroup: input.assignmentGroup,
        assignedTo: input.assignedTo,
        callerId: input.callerId,
        workNotes: input.workNotes,
        governanceOwner: meta.governanceOwner,
        standardTemplateId: input.standardTemplateId,
      },
      ruleId: meta.ruleId,
      requestId: meta.requestId,
    },
    toCreate,
  );

  // ── ServiceNow ──
  const pending: TicketRequest[] = [];
  const failures: Array<{ group: TicketFinding[]; error: unknown }> = [];
  const settle = async (request: TicketRequest, group: TicketFinding[], error: unknown) => {
    const settled = await recordFailedAttempt(request, error);
    if (settled.status === "pending") pending.push(settled.request);
    else failures.push({ group, error: explainRefusal(error, input.type) });
  };
  let ctx: CreateContext;
  let cis: CiLookup | undefined;
  try {
    const client = await serviceNowClientFor(connection);
    const refs = await resolveReferences(client, connection, input.type, input);
    cis = await lookupTicketCis(client, classified.fresh);
    ctx = {
      actor,
      connection,
      client,
      type: input.type,
      refs,
      workNotes: input.workNotes,
      requestId: meta.requestId,
      ruleId: meta.ruleId,
      governanceOwner: meta.governanceOwner,
      cis,
      standardTemplateId: input.standardTemplateId,
      instanceValuesFor: instance.valuesFor,
    };
  } catch (error) {
    // Nothing was created: every request waits for the retry job, or fails with this error.
    for (const [i, request] of requests.entries()) await settle(request, toCreate[i]!.findings, error);
    await scheduleTicketRequests(pending);
    if (pending.length === 0) throw failures[0]!.error;
    return { isCreated: false, tickets: repeats, pending: pending.map(pendingOf), failures: failures.map(failureOf) };
  }

  const results: CreateOneResult[] = [];
  const queue = toCreate.map((g, i) => ({ ...g, request: requests[i]! }));
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        try {
          results.push(await createOne({ ...ctx, ticketRequestId: item.request.id }, item.findings, item.fields));
        } catch (error) {
          await settle(item.request, item.findings, error);
        }
      }
    }),
  );
  await scheduleTicketRequests(pending);

  await pushGovernance(results.flatMap((r) => r.governanceIds));
  if (cis) await listAffectedCis(ctx.client, cis, results);

  // Keep the caller's order of groups in the answer.
  const order = new Map(findings.map((f, i) => [f.id, i]));
  const tickets = [...repeats, ...results.map(toCreated)].sort((a, b) => order.get(a.findingIds[0]!)! - order.get(b.findingIds[0]!)!);
  if (failures.length > 0 && results.length === 0 && pending.length === 0) throw failures[0]!.error;
  return { isCreated: results.some((r) => r.isNew), tickets, pending: pending.map(pendingOf), failures: failures.map(failureOf) };
}

function pendingOf(r: TicketRequest): TPendingTicket {
  return { id: r.id, findingIds: r.findingIds, type: r.table };
}

function failureOf({ group, error }: { group: TicketFinding[]; error: unknown }) {
  return {
    findingIds: group.map((f) => f.id),
    code: isAppError(error) ? error.code : "INTERNAL",
    message: isAppError(error) ? error.userMessage : "Internal error",
  };
}
