import { z } from "zod";
import { multi, ZBooleanQuery, ZCursorQuery, ZPageQuery } from "@/lib/schemas/common";
import { filterFields, parseLenient, type TFindingStatus, type TSearchRecord, type TSeverity } from "@/lib/schemas/recommendations";
import { ZCveQuery } from "@/lib/schemas/sub-assessments";
import { type TFindingTicketRequest } from "@/lib/schemas/ticket-requests";
import { CC_FILTERS, type TFindingCc } from "@/lib/schemas/compliance-cc";
import { type TFindingTicket, type TTicketState, type TTicketTable } from "@/lib/schemas/tickets";

// The flat per-resource view (/findings, and the affected resources of one recommendation).

export const FINDING_SORTS = [
  "-severity",
  "severity",
  "resource",
  "-resource",
  "status",
  "-status",
  "-changed",
  "changed",
  "firstSeen",
  "-firstSeen",
  "due",
  "-due",
  "recommendation",
  "-recommendation",
] as const;
export type TFindingSort = (typeof FINDING_SORTS)[number];

export const ZFindingsQuery = ZPageQuery.extend({
  ...filterFields,
  /** Finding status (per resource); on this list `status` filters findings, not recommendations. */
  recommendationKey: multi(z.string().trim().min(1).max(200)),
  resourceGroup: multi(z.string().trim().min(1).max(200)),
  /** Also list findings Defender no longer reports (kept as history). */
  includeRemoved: ZBooleanQuery,
  sort: z.enum(FINDING_SORTS).default("-severity"),
  /** Findings with a vulnerability sub-finding of this CVE (lib/schemas/sub-assessments.ts). */
  cve: ZCveQuery,
  /** Configuration Compliance: gap (unhealthy, no failed CC result), disagree (failed in CC, healthy), failed, none. */
  cc: z.enum(CC_FILTERS).optional(),
  /** Keyset paging: the `nextCursor` of the previous answer (then `page` is ignored; the cursor knows its page). */
  cursor: ZCursorQuery,
});
export type TFindingsQuery = z.infer<typeof ZFindingsQuery>;

export function findingsQueryOf(input: TSearchRecord): TFindingsQuery {
  return parseLenient(ZFindingsQuery, input);
}

/** The finding's current ticket, side by side with it. */
export type TFindingTicketDetail = {
  id: string;
  number: string;
  /** The record in ServiceNow. */
  url: string;
  table: TTicketTable;
  state: TTicketState;
  rawState: string;
  assignee: string | null;
  assignmentGroup: string | null;
  dueDate: string | null;
  isOverdue: boolean;
  /** Closed in ServiceNow while the finding is still unhealthy. */
  isDrift: boolean;
  connectionName: string;
};

export type TFindingDto = {
  id: string;
  armId: string;
  recommendationKey: string;
  recommendationName: string;
  severity: TSeverity;
  subscriptionId: string;
  subscriptionName: string | null;
  resourceGroup: string | null;
  resourceId: string;
  resourceType: string;
  resourceName: string;
  /** The resource's Azure tags (from Resource Graph at ingestion); {} when it has none or they are unknown. */
  tags: Record<string, string>;
  status: TFindingStatus;
  statusCause: string | null;
  statusDescription: string | null;
  firstEvaluationAt: string | null;
  statusChangedAt: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  /** Set when Defender stopped reporting this finding. */
  removedAt: string | null;
  portalUrl: string | null;
  /** The current ticket (ITSM first, open first), or null. */
  ticket: TFindingTicketDetail | null;
  /** Every current ticket (one per connection and module), as the ticket chips show them. */
  tickets: TFindingTicket[];
  governance: { owner: string | null; dueDate: string | null; isManaged: boolean } | null;
  /** A ticket asked for but not confirmed by ServiceNow yet ("ticket pending", retried), or whose retries failed; null once ticketed. */
  ticketRequest: TFindingTicketRequest | null;
  /** Configuration Compliance as ServiceNow's Defender integration records it (null: no matched test result). */
  cc: TFindingCc | null;
};
