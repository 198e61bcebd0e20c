import { z } from "zod";
import { multi, ZBooleanQuery, ZIsoDate, ZPageQuery, ZUuid } from "@/lib/schemas/common";
import { type TTicketType, ZReference } from "@/lib/schemas/connections";
import { ZDiscoveredField, ZFieldValues } from "@/lib/schemas/instance-schema";

// Tickets: creation from findings (with optional field overrides), links, listing and detail.

export const TICKET_TABLES = ["incident", "problem", "change_request", "sn_vulc_result_group"] as const;
export type TTicketTable = (typeof TICKET_TABLES)[number];

/**
 * What POST /api/tickets creates: an ITSM record (incident, problem, change request). Configuration
 * Compliance remediation tasks (sn_vulc_result_group) are made by ServiceNow's own remediation task
 * rules and only read (lib/compliance-cc); rows of that table are tickets linked before CC became read-only.
 */
export const CREATE_TICKET_TYPES = ["incident", "problem", "change_request"] as const;
export const ZCreateTicketType = z.enum(CREATE_TICKET_TYPES);
export type TCreateTicketType = (typeof CREATE_TICKET_TYPES)[number];
export const CREATE_TICKET_TYPE_LABEL: Record<TCreateTicketType, string> = {
  incident: "Incident",
  problem: "Problem",
  change_request: "Change request",
};

/** ITSM records and (legacy) CC remediation tasks are tracked side by side. */
export function ticketModuleOf(table: TTicketTable): "itsm" | "cc" {
  return table === "sn_vulc_result_group" ? "cc" : "itsm";
}
export const TICKET_STATES = ["open", "resolved", "closed", "canceled"] as const;
export type TTicketState = (typeof TICKET_STATES)[number];
export const CHANGE_TYPES = ["normal", "standard", "emergency"] as const;
export type TChangeType = (typeof CHANGE_TYPES)[number];

/** ServiceNow numbers such as INC0010001, PRB0040001, CHG0030001. */
export const TICKET_NUMBER = /^[A-Z]{2,6}\d{5,12}$/;

/** Fields an analyst may set instead of the prefilled ones. */
export const ZTicketOverrides = z.object({
  shortDescription: z.string().trim().min(1, "is required").max(160).optional(),
  description: z.string().trim().max(16_000).optional(),
  impact: z.number().int().min(1).max(3).optional(),
  urgency: z.number().int().min(1).max(3).optional(),
  /** Assignment group name or sys_id; must exist in ServiceNow. */
  assignmentGroup: ZReference.optional(),
  /** sys_user user name, e-mail or sys_id; must exist in ServiceNow. */
  assignedTo: ZReference.optional(),
  /** Caller of an incident: user name, e-mail or sys_id. */
  callerId: ZReference.optional(),
  /** Remediation due date (ISO date or date-time); default: now + the severity's remediation days. */
  dueDate: ZIsoDate.optional(),
  remediationDays: z.number().int().min(1).max(365).optional(),
  /** Defender governance grace period: the finding does not count against the secure score until due. */
  gracePeriod: z.boolean().optional(),
  changeType: z.enum(CHANGE_TYPES).optional(),
  /** Standard changes: the std_change_record_producer sys_id picked from GET /api/connections/{id}/change-templates. */
  standardTemplateId: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[0-9a-f]{32}$/, "must be a ServiceNow sys_id")
    .optional(),
  workNotes: z.string().trim().max(4000).optional(),
});
export type TTicketOverrides = z.infer<typeof ZTicketOverrides>;

const ZFindingIds = z
  .array(ZUuid)
  .min(1, "select at least one finding")
  .max(500, "at most 500 findings per request")
  .refine((ids) => new Set(ids).size === ids.length, "must not repeat a finding");

export const ZCreateTicket = ZTicketOverrides.extend({
  connectionId: ZUuid,
  type: ZCreateTicketType,
  findingIds: ZFindingIds,
  /** One ticket for all selected findings, or one per finding. */
  grouping: z.enum(["single", "per-finding"]).default("single"),
  /**
   * Values of the instance's own fields (column → value; category, u_business_service, …), over the
   * connection's field defaults; checked against the discovered schema. Incidents, problems, changes.
   */
  fields: ZFieldValues.optional(),
})
  .strict()
  .superRefine((v, ctx) => {
    if (v.changeType && v.type !== "change_request")
      ctx.addIssue({ code: "custom", path: ["changeType"], message: "only applies to change requests" });
    if (v.standardTemplateId && v.changeType !== "standard")
      ctx.addIssue({ code: "custom", path: ["standardTemplateId"], message: "only applies to standard change requests" });
    if (v.callerId && v.type !== "incident") ctx.addIssue({ code: "custom", path: ["callerId"], message: "only applies to incidents" });
    if (v.dueDate && v.remediationDays)
      ctx.addIssue({ code: "custom", path: ["remediationDays"], message: "give a due date or remediation days, not both" });
  });
export type TCreateTicket = z.infer<typeof ZCreateTicket>;
export type TCreateTicketInput = z.input<typeof ZCreateTicket>;

export const ZTicketDraftRequest = z
  .object({
    connectionId: ZUuid,
    type: ZCreateTicketType,
    findingIds: ZFindingIds,
    grouping: z.enum(["single", "per-finding"]).default("single"),
  })
  .strict();
export type TTicketDraftRequest = z.infer<typeof ZTicketDraftRequest>;

const ZTicketState = z.enum(TICKET_STATES);
const ZTicketTable = z.enum(TICKET_TABLES);
const ZIso = z.string().describe("ISO 8601 date-time");

export const ZTicketFields = z.object({
  shortDescription: z.string(),
  description: z.string(),
  impact: z.number().int(),
  urgency: z.number().int(),
  /** What ServiceNow will compute from impact × urgency. */
  priority: z.number().int(),
  assignmentGroup: z.string().nullable(),
  assignedTo: z.string().nullable(),
  callerId: z.string().nullable(),
  dueDate: ZIso,
  remediationDays: z.number().int(),
  gracePeriod: z.boolean(),
  changeType: z.enum(CHANGE_TYPES).nullable(),
});
export type TTicketFields = z.infer<typeof ZTicketFields>;

export const ZTicketRef = z.object({ id: z.string().uuid(), number: z.string(), url: z.string(), state: ZTicketState });
export type TTicketRef = z.infer<typeof ZTicketRef>;

export const ZTicketDraft = z.object({
  connection: z.object({ id: z.string().uuid(), name: z.string() }),
  type: ZCreateTicketType,
  grouping: z.enum(["single", "per-finding"]),
  tickets: z.array(
    z.object({
      findingIds: z.array(z.string().uuid()),
      fields: ZTicketFields,
      /** Instance field values (defaults rendered for this ticket's findings). */ instanceValues: z.record(z.string(), z.string()),
    }),
  ),
  /** Findings that already have an active ticket on this connection. */
  conflicts: z.array(z.object({ findingId: z.string().uuid(), ticket: ZTicketRef })),
  /** Findings no ticket can be created for (healthy, removed). */
  unticketable: z.array(z.object({ findingId: z.string().uuid(), reason: z.string() })),
  /**
   * The instance's fields the form shows: every field ServiceNow requires on insert (data policy or
   * learned) and every field with a default, mandatory first. Empty when the table was never discovered.
   */
  instanceFields: z.array(ZDiscoveredField),
  /** False when the instance was never discovered (run Test connection): mandatory fields are unknown. */
  isSchemaKnown: z.boolean(),
});
export type TTicketDraft = z.infer<typeof ZTicketDraft>;

export const ZCreatedTicket = ZTicketRef.extend({
  table: ZTicketTable,
  findingIds: z.array(z.string().uuid()),
  isNew: z.boolean(),
  /** What ServiceNow did not take as asked (ignored fields, Table API fallback, CIs not listed). */
  warnings: z.array(z.string()).optional(),
});
export type TCreatedTicket = z.infer<typeof ZCreatedTicket>;
/** A ticket ServiceNow has not confirmed yet: its request is retried (GET /api/ticket-requests/{id}). */
export const ZPendingTicket = z.object({ id: z.string().uuid(), findingIds: z.array(z.string().uuid()), type: ZTicketTable });
export type TPendingTicket = z.infer<typeof ZPendingTicket>;
export const ZCreateTicketsResult = z.object({
  tickets: z.array(ZCreatedTicket),
  /** Only with status 202: tickets ServiceNow did not confirm (5xx, timeout, throttling); retried by a job. */
  pending: z.array(ZPendingTicket).optional(),
  /** Only when some groups failed while others were created (per-finding grouping). */
  failures: z.array(z.object({ findingIds: z.array(z.string().uuid()), code: z.string(), message: z.string() })).optional(),
});
export type TCreateTicketsResult = z.infer<typeof ZCreateTicketsResult>;

export const ZTicketsQuery = ZPageQuery.extend({
  connectionId: ZUuid.optional(),
  state: multi(z.enum(TICKET_STATES)),
  type: multi(z.enum(TICKET_TABLES)),
  overdue: ZBooleanQuery,
  drift: ZBooleanQuery,
  /** Number, short description or assignee. */
  q: z.string().trim().max(200).optional(),
  findingId: ZUuid.optional(),
  sort: z.enum(["createdAt", "-createdAt", "dueDate", "-dueDate", "number", "-number", "updatedAt", "-updatedAt"]).default("-createdAt"),
});
export type TTicketsQuery = z.infer<typeof ZTicketsQuery>;

/** `{id}` of /api/tickets/{id}/links: our ticket id, or a ServiceNow number (with connectionId in the body). */
export const ZTicketRefParams = z.object({
  id: z.union([
    ZUuid,
    z.string().trim().toUpperCase().regex(TICKET_NUMBER, "must be a ticket id or a ServiceNow number such as INC0010001"),
  ]),
});

export const ZLinkFindings = z
  .object({
    findingIds: ZFindingIds,
    /** Required when the ticket is given by its ServiceNow number. */
    connectionId: ZUuid.optional(),
    /** Move findings that have another active ticket on this connection to this one. */
    replace: z.boolean().default(false),
  })
  .strict();
export type TLinkFindings = z.infer<typeof ZLinkFindings>;

export const ZUnlinkParams = z.object({ id: ZUuid, findingId: ZUuid });

export const ZTicketDto = z.object({
  id: z.string().uuid(),
  number: z.string(),
  table: ZTicketTable,
  module: z.enum(["itsm", "cc"]),
  state: ZTicketState,
  rawState: z.string(),
  stateLabel: z.string(),
  priority: z.number().int().nullable(),
  impact: z.number().int().nullable(),
  urgency: z.number().int().nullable(),
  changeType: z.string().nullable(),
  shortDescription: z.string(),
  assignedToName: z.string().nullable(),
  assignedToEmail: z.string().nullable(),
  assignmentGroupName: z.string().nullable(),
  dueDate: ZIso.nullable(),
  isOverdue: z.boolean(),
  isDrift: z.boolean(),
  driftSince: ZIso.nullable(),
  /** Problems whose findings are all remediated: a person resolves them in ServiceNow (link: url). */
  readyToResolveAt: ZIso.nullable(),
  /** The last state write ServiceNow accepted but did not apply, until the state moves. */
  notApplied: z.object({ message: z.string(), at: ZIso }).nullable(),
  url: z.string(),
  correlationId: z.string().nullable(),
  connection: z.object({ id: z.string().uuid(), name: z.string(), isArchived: z.boolean() }),
  linkedFindings: z.number().int(),
  createdByType: z.enum(["user", "token", "rule", "system"]),
  createdAt: ZIso,
  snUpdatedAt: ZIso.nullable(),
  lastSyncedAt: ZIso.nullable(),
});
export type TTicketDto = z.infer<typeof ZTicketDto>;
export const ZTicketPage = z.object({
  items: z.array(ZTicketDto),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const ZTicketFinding = z.object({
  findingId: z.string().uuid(),
  resourceId: z.string(),
  resourceName: z.string(),
  resourceType: z.string(),
  resourceGroup: z.string().nullable(),
  subscriptionId: z.string(),
  recommendationKey: z.string(),
  recommendationName: z.string(),
  severity: z.enum(["High", "Medium", "Low"]),
  status: z.enum(["Healthy", "Unhealthy", "NotApplicable"]),
  portalUrl: z.string().nullable(),
  isActive: z.boolean(),
  linkedAt: ZIso,
  unlinkedAt: ZIso.nullable(),
  unlinkReason: z.string().nullable(),
  governance: z
    .object({
      azureState: z.enum(["pending", "synced", "error"]),
      azureError: z.string().nullable(),
      owner: z.string().nullable(),
      remediationDueDate: ZIso.nullable(),
      /** What Defender for Cloud displays: the ticket number's digits (its int32 field), the link, the status. */
      ticketNumber: z.number().int().nullable(),
      ticketLink: z.string().nullable(),
      ticketStatus: z.string().nullable(),
    })
    .nullable(),
});
export type TTicketFinding = z.infer<typeof ZTicketFinding>;

export const ZTicketHistoryEntry = z.object({
  at: ZIso,
  source: z.enum(["audit", "sync"]),
  action: z.string(),
  actorName: z.string().nullable(),
  message: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});
export type TTicketHistoryEntry = z.infer<typeof ZTicketHistoryEntry>;

export const ZTicketDetail = ZTicketDto.extend({
  /** Who created it, by name (from the creation's audit entry); null when not recorded. */
  createdByName: z.string().nullable(),
  findings: z.array(ZTicketFinding),
  history: z.array(ZTicketHistoryEntry),
});
export type TTicketDetail = z.infer<typeof ZTicketDetail>;

export const ZChangeTemplate = z.object({ sysId: z.string(), name: z.string(), shortDescription: z.string(), category: z.string() });
export const ZChangeTemplates = z.object({
  /** False when the instance has no Change Management API (changes are then created through the Table API). */
  isChangeApiInstalled: z.boolean(),
  items: z.array(ZChangeTemplate),
});
export type TChangeTemplates = z.infer<typeof ZChangeTemplates>;

export const ZLinkOutcome = z.object({
  ticket: ZTicketRef,
  linked: z.array(z.string().uuid()),
  alreadyLinked: z.array(z.string().uuid()),
  moved: z.array(z.object({ findingId: z.string().uuid(), from: z.string() })),
});
export type TLinkOutcome = z.infer<typeof ZLinkOutcome>;

/** A finding's tickets, for chips next to resources. */
export type TFindingTicket = TTicketRef & { isDrift: boolean; table: TTicketTable; connectionName: string };

export function ticketTypeLabel(table: TTicketTable): string {
  return table === "sn_vulc_result_group"
    ? "Remediation task"
    : { incident: "Incident", problem: "Problem", change_request: "Change request" }[table as TTicketType];
}
