// ServiceNow state values per table → PostureDesk's normalized state and ServiceNow's own label
// (docs/DESIGN.md §5). Shared by ticket creation, links and the sync engine's reconciliation.
import { type TTicketState, type TTicketTable } from "@/lib/schemas/tickets";

// Each table's values → ServiceNow's label; the normalized state follows from the label (FINISHED), every
// other label is a step of work still open.
const LABELS: Record<TTicketTable, Record<string, string>> = {
  incident: { "1": "New", "2": "In Progress", "3": "On Hold", "6": "Resolved", "7": "Closed", "8": "Canceled" },
  problem: { "101": "New", "102": "Assess", "103": "Root Cause Analysis", "104": "Fix in Progress", "106": "Resolved", "107": "Closed" },
  change_request: {
    "-5": "New",
    "-4": "Assess",
    "-3": "Authorize",
    "-2": "Scheduled",
    "-1": "Implement",
    "0": "Review",
    "3": "Closed",
    "4": "Canceled",
  },
  // Remediation-task tickets linked by earlier versions (read only): the documented CC task states
  // (lib/compliance-cc/states.ts), by the values observed on instances.
  sn_vulc_result_group: {
    "1": "Open",
    "2": "Under Investigation",
    "10": "Awaiting Implementation",
    "11": "In Review",
    "12": "Deferred",
    "101": "Resolved",
    "3": "Closed",
  },
};

const FINISHED: Record<string, TTicketState> = { Resolved: "resolved", Closed: "closed", Canceled: "canceled" };

/** Normalized state of a raw ServiceNow state; an unknown value counts as open (it is not finished). */
export function normalizeTicketState(table: TTicketTable, rawState: string): TTicketState {
  const label = LABELS[table][rawState.trim()];
  return (label === undefined ? undefined : FINISHED[label]) ?? "open";
}

/** ServiceNow's label for a raw state ("In Progress"), or the raw value when unknown. */
export function ticketStateLabel(table: TTicketTable, rawState: string): string {
  return LABELS[table][rawState.trim()] ?? (rawState || "Unknown");
}

/** Table of a ServiceNow number by its prefix (INC → incident), or null when the prefix is not one of ours. */
export function tableOfNumber(number: string): TTicketTable | null {
  const prefix = /^[A-Z]+/.exec(number.trim().toUpperCase())?.[0];
  if (prefix === "INC") return "incident";
  if (prefix === "PRB") return "problem";
  if (prefix === "CHG") return "change_request";
  return null;
}

/**
 * Defender's governance `additionalData.ticketNumber` is an integer ≥ 0: the digits of the number
 * (INC0010001 → 10001). Null when the number has no digits or too many to be exact.
 */
export function ticketNumberToInteger(number: string): number | null {
  const digits = number.replace(/\D/g, "");
  if (!digits) return null;
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * The ticket link written to a Defender governance assignment (`additionalData.ticketLink`). Defender
 * shows `ticketNumber`, an int32, so INC0010001 and PRB0010001 both appear as 10001: the link therefore
 * opens the record by its full number in its own table (`{table}.do?sysparm_query=number=…`), which
 * tells the two apart, rather than by sys_id, which says nothing to a reader of the link.
 */
export function governanceTicketLink(ticketUrlOrInstance: string, table: string, number: string): string {
  const base = new URL(ticketUrlOrInstance).origin;
  return `${base}/nav_to.do?uri=${encodeURIComponent(`${table}.do?sysparm_query=number=${number}`)}`;
}

/** What Defender for Cloud shows for a governance assignment PostureDesk writes (its portal's ticket column). */
export function defenderTicketDisplay(number: string): { ticketNumber: number | null; note: string } {
  const digits = ticketNumberToInteger(number);
  return {
    ticketNumber: digits,
    note:
      digits === null
        ? `Defender shows no ticket number for ${number} (no digits fit its int32 field); the link still opens ${number}.`
        : `Defender shows ticket ${digits}; its link opens ${number}.`,
  };
}

/** Link to a record in the instance's classic UI (what ServiceNow's own notifications use). */
export function ticketUrl(instanceUrl: string, table: string, sysId: string): string {
  const base = instanceUrl.replace(/\/+$/, "");
  return `${base}/nav_to.do?uri=${encodeURIComponent(`${table}.do?sys_id=${sysId}`)}`;
}
