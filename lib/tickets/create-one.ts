import "server-only";
import { type ServiceNowConnectionRow } from "@/lib/db";

// Exactly-once creation of one ticket for one group of findings (docs/DESIGN.md §4.5). Under an advisory
// lock on (connection, correlation base), inside one database transaction:
//   1. the findings' active links are read again: a repeat of the request that created their ticket
//      returns it; a different active ticket is a conflict;
//   2. the correlation id's generation is the next one after every earlier ticket of the same base;
//   3. ServiceNow is searched for that correlation id — a ticket created before a crash (POST done,
//      database write lost) is found here and linked instead of created again;
//   4. otherwise the record is created; a POST whose outcome is unknown (timeout, 5xx) is followed by
//      another lookup before it is ever repeated;
//   5. ticket, links, desired governance and the audit entry are written and committed together.
// The unique constraints (one active link per finding, connection and module; one ticket per
// correlation id and per sys_id) are the backstop should anything bypass the lock.
import { audit } from "@/lib/audit/audit";
import { type Prisma, type Ticket } from "@/lib/generated/prisma/client";
import { AppError, isAppError } from "@/lib/http/errors";
import { type TDirectoryGroup, type TDirectoryUser } from "@/lib/schemas/connections";
import { type TCreateTicketType, type TTicketFields, ticketModuleOf } from "@/lib/schemas/tickets";
import { type ServiceNowClient, type ServiceNowRecord, type WriteValue } from "@/lib/servicenow";
import { writeDesiredGovernance } from "@/lib/governance/desired-sql";
import { actorRef, type Caller } from "@/lib/auth/authorize";
import { createChangeRequest } from "./change-create";
import { type CiLookup, singleCiOf } from "./cis";
import { correlationBase, correlationId as correlationIdOf, generationOf } from "./correlation";
import { conflictError } from "./conflicts";
import { type TicketFinding } from "./findings";
import { dataPolicyRefusal } from "./instance-fields";
import { withAdvisoryLock } from "./lock-sql";
import { markCreated } from "./requests";
import { findByCorrelationId, recordFields, ticketColumnsOf } from "./record";
import { ticketStateLabel } from "./states";

export type CreateContext = {
  actor: Caller;
  connection: ServiceNowConnectionRow;
  client: ServiceNowClient;
  type: TCreateTicketType;
  refs: { assignmentGroup: TDirectoryGroup | null; assignedTo: TDirectoryUser | null; caller: TDirectoryUser | null };
  workNotes?: string;
  requestId?: string;
  ruleId?: string;
  /** Governance owner to write when it differs from the ServiceNow assignee. */
  governanceOwner?: string;
  /** The persisted TicketRequest this attempt serves: marked created in the ticket's own transaction. */
  ticketRequestId?: string;
  /** Configuration items of the findings' resources (cis.ts); single-resource tickets get theirs in cmdb_ci. */
  cis?: CiLookup;
  /** Standard changes: the template the analyst picked. */
  standardTemplateId?: string;
  /** The instance's own fields for a group (defaults + request values, validated by instance-fields.ts). */
  instanceValuesFor?: (findings: TicketFinding[]) => Record<string, string>;
};

export type CreateOneResult = {
  ticket: Ticket;
  findingIds: string[];
  isNew: boolean;
  governanceIds: string[];
  warnings: string[];
  resourceIds: string[];
};

/** How often a POST with an unknown outcome is checked and tried again before giving up. */
const MAX_CREATE_ATTEMPTS = 3;

function recordValues(
  ctx: CreateContext,
  findings: TicketFinding[],
  fields: TTicketFields,
  correlationId: string,
): Record<string, WriteValue> {
  return {
    // PostureDesk's own fields below win over instance fields (validation refuses defaults for them).
    ...(ctx.instanceValuesFor?.(findings) ?? {}),
    short_description: fields.shortDescription,
    description: fields.description,
    impact: fields.impact,
    urgency: fields.urgency,
    correlation_id: correlationId,
    correlation_display: "PostureDesk",
    due_date: new Date(fields.dueDate),
    ...(ctx.refs.assignmentGroup ? { assignment_group: ctx.refs.assignmentGroup.sysId } : {}),
    ...(ctx.refs.assignedTo ? { assigned_to: ctx.refs.assignedTo.sysId } : {}),
    ...(ctx.type === "incident" && ctx.refs.caller ? { caller_id: ctx.refs.caller.sysId } : {}),
    ...(ctx.type === "change_request" ? { type: fields.changeType ?? "normal" } : {}),
    ...(ctx.workNotes ? { work_notes: ctx.workNotes } : {}),
    ...ciValue(ctx, findings),
  };
}

function ciValue(ctx: CreateContext, findings: TicketFinding[]): Record<string, WriteValue> {
  const ci = singleCiOf(
    ctx.cis,
    findings.map((f) => f.resourceId),
  );
  return ci ? { cmdb_ci: ci.sysId } : {};
}

async function postRecord(
  ctx: CreateContext,
  values: Record<string, WriteValue>,
  fields: TTicketFields,
  instanceFields: string[],
): Promise<{ record: ServiceNowRecord; warnings: string[] }> {
  if (ctx.type === "change_request")
    return createChangeRequest(ctx.client, values, fields.changeType ?? "normal", ctx.standardTemplateId, instanceFields);
  return {
    record: await ctx.client.create(ctx.type, values, {
      fields: recordFields(ctx.type),
      displayValue: "all",
      excludeReferenceLink: true,
      instanceFields,
    }),
    warnings: [],
  };
}

async function createRecord(
  ctx: CreateContext,
  findings: TicketFinding[],
  fields: TTicketFields,
  correlationId: string,
): Promise<{ record: ServiceNowRecord; warnings: string[] }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const instanceFields = Object.keys(ctx.instanceValuesFor?.(findings) ?? {});
      return await postRecord(ctx, recordValues(ctx, findings, fields, correlationId), fields, instanceFields);
    } catch (error) {
      // A data policy PostureDesk did not know of: learn its fields, answer 422 naming them.
      const refusal = await dataPolicyRefusal(ctx.connection.id, ctx.type, error);
      if (refusal) throw refusal;
      if (!isAppError(error) || error.code !== "UPSTREAM_UNCERTAIN" || attempt >= MAX_CREATE_ATTEMPTS) throw error;
      // The POST may have been applied: never repeat it before looking.
      const existing = await findByCorrelationId(ctx.client, ctx.type, correlationId);
      if (existing) return { record: existing, warnings: [] };
    }
  }
}

async function nextGeneration(tx: Prisma.TransactionClient, connectionId: string, base: string): Promise<number> {
  const earlier = await tx.ticket.findMany({
    where: { connectionId, correlationId: { startsWith: `${base}:g` } },
    select: { correlationId: true },
  });
  return 1 + earlier.reduce((max, t) => Math.max(max, generationOf(t.correlationId, base) ?? 0), 0);
}

/** 64 lock buckets per connection: overlapping finding sets always share one, disjoint ones rarely. */
const FINDING_LOCK_BUCKETS = 64;

export function findingLockKeys(connectionId: string, findingIds: string[]): string[] {
  const buckets = new Set(findingIds.map((id) => parseInt(id.replace(/-/g, "").slice(-8), 16) % FINDING_LOCK_BUCKETS));
  return [...buckets].map((b) => `ticket-findings:${connectionId}:${b}`);
}

export async function createOne(ctx: CreateContext, findings: TicketFinding[], fields: TTicketFields): Promise<CreateOneResult> {
  const { connection } = ctx;
  const base = correlationBase(
    connection.correlationPrefix,
    ctx.type,
    findings.map((f) => f.armId),
  );
  const findingIds = findings.map((f) => f.id);
  const ticketModule = ticketModuleOf(ctx.type);

  // The correlation base serializes repeats of one request; the finding buckets serialize requests
  // whose finding sets merely overlap, which would otherwise both reach ServiceNow before the link
  // constraint refused the second (leaving an orphan record there).
  return withAdvisoryLock([`ticket:${connection.id}:${base}`, ...findingLockKeys(connection.id, findingIds)], async (tx) => {
    const active = await tx.ticketLink.findMany({
      where: { findingId: { in: findingIds }, activeConnectionId: connection.id, module: ticketModule },
      include: { ticket: true },
    });
    if (active.length > 0) {
      const ticket = active[0]!.ticket;
      const isRepeat =
        active.length === findingIds.length &&
        active.every((l) => l.ticketId === ticket.id) &&
        generationOf(ticket.correlationId, base) !== null;
      if (isRepeat) {
        if (ctx.ticketRequestId) await markCreated(tx, ctx.ticketRequestId, ticket.id, ticket.correlationId ?? "");
        return { ticket, findingIds, isNew: false, governanceIds: [], warnings: [], resourceIds: [] };
      }
      throw conflictError(active.map((l) => ({ findingId: l.findingId, ticket: l.ticket })));
    }

    const correlationId = correlationIdOf(base, await nextGeneration(tx, connection.id, base));
    const found = await findByCorrelationId(ctx.client, ctx.type, correlationId);
    const created = found ? { record: found, warnings: [] } : await createRecord(ctx, findings, fields, correlationId);
    const record = created.record;
    const columns = ticketColumnsOf(connection.instanceUrl, ctx.type, record);
    if (!columns.sysId || !columns.number) {
      throw new AppError("UPSTREAM_UNAVAILABLE", { message: "ServiceNow answered the ticket creation without a sys_id or number" });
    }
    const by = actorRef(ctx.actor);
    const ticket = await tx.ticket.upsert({
      where: { connectionId_sysId: { connectionId: connection.id, sysId: columns.sysId } },
      create: {
        ...columns,
        connectionId: connection.id,
        module: ticketModule,
        createdByType: by.type,
        createdById: by.id,
        ruleId: ctx.ruleId ?? null,
      },
      update: columns,
    });
    await tx.ticketLink.createMany({
      data: findingIds.map((findingId) => ({
        ticketId: ticket.id,
        findingId,
        connectionId: connection.id,
        module: ticketModule,
        activeConnectionId: connection.id,
        linkedByType: by.type,
        linkedById: by.id,
      })),
    });
    const governanceIds =
      ticketModule === "itsm"
        ? await writeDesiredGovernance(tx, findings, {
            owner: ctx.governanceOwner || ctx.refs.assignedTo?.email || ticket.assignedToEmail || null,
            remediationDueDate: ticket.dueDate ?? new Date(fields.dueDate),
            isGracePeriod: fields.gracePeriod,
            ticket: {
              number: ticket.number,
              table: ticket.table,
              url: ticket.url,
              status: ticketStateLabel(ticket.table, ticket.rawState),
            },
          })
        : [];
    await audit(
      {
        actor: ctx.actor,
        action: "ticket.create",
        targetType: "ticket",
        targetId: ticket.id,
        after: {
          number: ticket.number,
          table: ticket.table,
          connectionId: connection.id,
          correlationId,
          findingIds,
          ...(found ? { recoveredExisting: true } : {}),
          ...(created.warnings.length ? { warnings: created.warnings } : {}),
        },
        requestId: ctx.requestId,
      },
      tx,
    );
    if (ctx.ticketRequestId) await markCreated(tx, ctx.ticketRequestId, ticket.id, correlationId);
    return { ticket, findingIds, isNew: true, governanceIds, warnings: created.warnings, resourceIds: findings.map((f) => f.resourceId) };
  });
}
