import "server-only";
import { type Finding } from "@/lib/generated/prisma/client";
import { type TFindingCc } from "@/lib/schemas/compliance-cc";
import { type TFindingDto, type TFindingTicketDetail } from "@/lib/schemas/findings";
import { type TTicketTable } from "@/lib/schemas/tickets";

/** The finding columns a DTO shows: the detail statement (lib/findings/list-sql.ts) reads these and no others. */
export const DETAIL_COLUMNS = [
  "id",
  "armId",
  "recommendationKey",
  "severity",
  "subscriptionId",
  "resourceGroup",
  "resourceId",
  "resourceType",
  "resourceName",
  "tags",
  "status",
  "statusCause",
  "statusDescription",
  "firstEvaluationAt",
  "statusChangedAt",
  "firstSeenAt",
  "lastSeenAt",
  "removedAt",
  "portalUrl",
] as const satisfies ReadonlyArray<keyof Finding>;

export type DetailRow = Pick<Finding, (typeof DETAIL_COLUMNS)[number]> & { recommendationName: string; subscriptionName: string | null };

/** One of a finding's current tickets, in the order the detail statement sorts them (best first). */
export type TicketRow = Pick<TFindingTicketDetail, "id" | "number" | "url" | "table" | "state" | "rawState"> & {
  assignedToName: string | null;
  assignedToEmail: string | null;
  assignmentGroupName: string | null;
  dueDate: Date | null;
  isDrift: boolean;
  connectionName: string;
};

export type GovernanceRow = { findingId: string; owner: string | null; remediationDueDate: Date | null; isManaged: boolean };

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Finding.tags is JSON written by ingestion; only string values are tags (anything else is not shown). */
export function tagsOf(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}

function ticketDetail(t: TicketRow, now: number): TFindingTicketDetail {
  return {
    id: t.id,
    number: t.number,
    url: t.url,
    table: t.table,
    state: t.state,
    rawState: t.rawState,
    assignee: t.assignedToName ?? t.assignedToEmail,
    assignmentGroup: t.assignmentGroupName,
    dueDate: iso(t.dueDate),
    isOverdue: t.state === "open" && t.dueDate !== null && t.dueDate.getTime() < now,
    isDrift: t.isDrift,
    connectionName: t.connectionName,
  };
}

/** `tickets` are the finding's current links, best first (ITSM, open, newest). */
export type TicketRequestRow = {
  findingId: string;
  id: string;
  status: "pending" | "failed";
  table: TTicketTable;
  attempts: number;
  nextAttemptAt: Date | null;
  error: string | null;
};

export function toFindingDto(
  f: DetailRow,
  tickets: TicketRow[],
  governance: GovernanceRow | null,
  now: number,
  request: TicketRequestRow | null = null,
  cc: TFindingCc | null = null,
): TFindingDto {
  return {
    id: f.id,
    armId: f.armId,
    recommendationKey: f.recommendationKey,
    recommendationName: f.recommendationName,
    severity: f.severity,
    subscriptionId: f.subscriptionId,
    subscriptionName: f.subscriptionName,
    resourceGroup: f.resourceGroup,
    resourceId: f.resourceId,
    resourceType: f.resourceType,
    resourceName: f.resourceName,
    tags: tagsOf(f.tags),
    status: f.status,
    statusCause: f.statusCause,
    statusDescription: f.statusDescription,
    firstEvaluationAt: iso(f.firstEvaluationAt),
    statusChangedAt: iso(f.statusChangedAt),
    firstSeenAt: f.firstSeenAt.toISOString(),
    lastSeenAt: f.lastSeenAt.toISOString(),
    removedAt: iso(f.removedAt),
    portalUrl: f.portalUrl,
    ticket: tickets[0] ? ticketDetail(tickets[0], now) : null,
    tickets: tickets.map((t) => ({
      id: t.id,
      number: t.number,
      url: t.url,
      state: t.state,
      isDrift: t.isDrift,
      table: t.table,
      connectionName: t.connectionName,
    })),
    governance: governance
      ? { owner: governance.owner, dueDate: iso(governance.remediationDueDate), isManaged: governance.isManaged }
      : null,
    ticketRequest:
      request && tickets.length === 0
        ? {
            id: request.id,
            status: request.status,
            type: request.table,
            attempts: request.attempts,
            nextAttemptAt: iso(request.nextAttemptAt),
            error: request.error,
          }
        : null,
    cc,
  };
}
