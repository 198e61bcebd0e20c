import { z } from "zod";
import { multi, ZBooleanQuery, ZIsoDate, ZPageQuery, ZUuid } from "@/lib/schemas/common";
import { type TTicketType, ZReference, ZTicketType } from "@/lib/schemas/connections";

// Tickets: creation from findings (with optional field overrides), links, listing and detail.

export const TICKET_TABLES = ["incident", "problem", "change_request", "sn_vulc_result_group"] as const;
export type TTicketTable = (typeof TICKET_TABLES)[number];
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
  type: ZTicketType,
  findingIds: ZFindingIds,
  /** One ticket for all selected findings, or one per finding. */
  grouping: z.enum(["single", "per-finding"]).default("single"),
})
  .strict()
  .superRefine((v, ctx) => {
    if (v.changeType && v.type !== "change_request") ctx.addIssue({ code: "custom", path: ["changeType"], message: "only applies to change requests" });
    if (v.callerId && v.type !== "incident") ctx.addIssue({ code: "custom", path: ["callerId"], message: "only applies to incidents" });
    if (v.dueDate && v.remediationDays) ctx.addIssue({ code: "custom", path: ["remediationDays"], message: "give a due date or remediation days, not both" });
  });
export type TCreateTicket = z.infer<typeof ZCreateTicket>;
export type TCreateTicketInput = z.input<typeof ZCreateTicket>;

export const ZTicketDraftRequest = z
  .object({
    connectionId: ZUuid,
    type: ZTicketType,
    findingIds: ZFindingIds,
    grouping: z.enum(["single", "per-finding"]).default("single"),
  })
  .strict();
export type TTicketDraftRequest = z.infer<typeof ZTicketDraftRequest>;

export type TTicketFields = {
  shortDescription: string;
  description: string;
  impact: number;
  urgency: number;
  /** What ServiceNow will compute from impact × urgency. */
  priority: number;
  assignmentGroup: string | null;
  assignedTo: string | null;
  callerId: string | null;
  dueDate: string;
  remediationDays: number;
  gracePeriod: boolean;
  changeType: TChangeType | null;
};

export type TTicketRef = { id: string; number: string; url: string; state: TTicketState };

export type TTicketDraft = {
  connection: { id: string; name: string };
  type: TTicketType;
  grouping: "single" | "per-finding";
  tickets: Array<{ findingIds: string[]; fields: TTicketFields }>;
  /** Findings that already have an active ticket on this connection. */
  conflicts: Array<{ findingId: string; ticket: TTicketRef }>;
  /** Findings no ticket can be created for (healthy, removed). */
  unticketable: Array<{ findingId: string; reason: string }>;
};

export type TCreatedTicket = TTicketRef & { table: TTicketTable; findingIds: string[]; isNew: boolean };
export type TCreateTicketsResult = { tickets: TCreatedTicket[] };

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
  id: z.union([ZUuid, z.string().trim().toUpperCase().regex(TICKET_NUMBER, "must be a ticket id or a ServiceNow number such as INC0010001")]),
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

export type TTicketDto = {
  id: string;
  number: string;
  table: TTicketTable;
  module: "itsm" | "cc";
  state: TTicketState;
  rawState: string;
  stateLabel: string;
  priority: number | null;
  impact: number | null;
  urgency: number | null;
  changeType: string | null;
  shortDescription: string;
  assignedToName: string | null;
  assignedToEmail: string | null;
  assignmentGroupName: string | null;
  dueDate: string | null;
  isOverdue: boolean;
  isDrift: boolean;
  driftSince: string | null;
  url: string;
  correlationId: string | null;
  connection: { id: string; name: string; isArchived: boolean };
  linkedFindings: number;
  createdByType: "user" | "token" | "rule" | "system";
  createdAt: string;
  snUpdatedAt: string | null;
  lastSyncedAt: string | null;
};

export type TTicketFinding = {
  findingId: string;
  resourceId: string;
  resourceName: string;
  resourceType: string;
  resourceGroup: string | null;
  subscriptionId: string;
  recommendationKey: string;
  recommendationName: string;
  severity: "High" | "Medium" | "Low";
  status: "Healthy" | "Unhealthy" | "NotApplicable";
  portalUrl: string | null;
  isActive: boolean;
  linkedAt: string;
  unlinkedAt: string | null;
  unlinkReason: string | null;
  governance: { azureState: "pending" | "synced" | "error"; azureError: string | null; owner: string | null; remediationDueDate: string | null } | null;
};

export type TTicketHistoryEntry = {
  at: string;
  source: "audit" | "sync";
  action: string;
  actorName: string | null;
  message: string;
  before: unknown;
  after: unknown;
};

export type TTicketDetail = TTicketDto & { findings: TTicketFinding[]; history: TTicketHistoryEntry[] };

/** A finding's tickets, for chips next to resources. */
export type TFindingTicket = TTicketRef & { isDrift: boolean; table: TTicketTable; connectionName: string };

export function ticketTypeLabel(table: TTicketTable): string {
  return table === "sn_vulc_result_group" ? "Remediation task" : { incident: "Incident", problem: "Problem", change_request: "Change request" }[table as TTicketType];
}
