import "server-only";

// ServiceNow task records ↔ Ticket rows: the fields read back, and the columns they fill.
import { type TicketTable } from "@/lib/generated/prisma/client";
import { type TTicketTable } from "@/lib/schemas/tickets";
import { cellDisplay, cellValue, parseServiceNowDateTime, q, type ServiceNowClient, type ServiceNowRecord } from "@/lib/servicenow";
import { normalizeTicketState, ticketUrl } from "./states";

/** Fields read back after create / lookup (valid on each ticket table). */
export function recordFields(table: TTicketTable): string[] {
  const common = [
    "sys_id",
    "number",
    "state",
    "priority",
    "impact",
    "urgency",
    "short_description",
    "assigned_to",
    "assigned_to.email",
    "assignment_group",
    "due_date",
    "correlation_id",
    "sys_updated_on",
  ];
  return table === "change_request" ? [...common, "type"] : common;
}

const int = (v: string) => (v && /^-?\d+$/.test(v) ? Number(v) : null);

/** Columns of a Ticket row from a record read with sysparm_display_value=all. */
export function ticketColumnsOf(instanceUrl: string, table: TTicketTable, record: ServiceNowRecord) {
  const sysId = cellValue(record.sys_id);
  const rawState = cellValue(record.state);
  return {
    table: table as TicketTable,
    sysId,
    number: cellValue(record.number),
    rawState,
    state: normalizeTicketState(table, rawState),
    priority: int(cellValue(record.priority)),
    impact: int(cellValue(record.impact)),
    urgency: int(cellValue(record.urgency)),
    changeType: table === "change_request" ? cellValue(record.type) || null : null,
    shortDescription: cellValue(record.short_description),
    assignedToSysId: cellValue(record.assigned_to) || null,
    assignedToName: cellValue(record.assigned_to) ? cellDisplay(record.assigned_to) || null : null,
    assignedToEmail: cellValue(record["assigned_to.email"]) || null,
    assignmentGroupSysId: cellValue(record.assignment_group) || null,
    assignmentGroupName: cellValue(record.assignment_group) ? cellDisplay(record.assignment_group) || null : null,
    dueDate: parseServiceNowDateTime(cellValue(record.due_date)),
    url: ticketUrl(instanceUrl, table, sysId),
    correlationId: cellValue(record.correlation_id) || null,
    snUpdatedAt: parseServiceNowDateTime(cellValue(record.sys_updated_on)),
    lastSyncedAt: new Date(),
  };
}

/** The record carrying this correlation id, if any (the lookup before every create). */
export async function findByCorrelationId(
  client: ServiceNowClient,
  table: TTicketTable,
  correlationId: string,
): Promise<ServiceNowRecord | null> {
  return firstRecord(client, table, q().eq("correlation_id", correlationId).orderBy("sys_created_on"));
}

/** A record by its number (linking an existing ticket). */
export async function findByNumber(client: ServiceNowClient, table: TTicketTable, number: string): Promise<ServiceNowRecord | null> {
  return firstRecord(client, table, q().eq("number", number));
}

/** The first record a query finds, with the fields (and display values) a ticket keeps. */
async function firstRecord(client: ServiceNowClient, table: TTicketTable, query: ReturnType<typeof q>): Promise<ServiceNowRecord | null> {
  const page = await client.list(table, {
    query,
    fields: recordFields(table),
    displayValue: "all",
    excludeReferenceLink: true,
    limit: 1,
    noCount: true,
  });
  return page.records[0] ?? null;
}
