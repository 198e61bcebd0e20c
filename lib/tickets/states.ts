// ServiceNow state values per table → PostureDesk's normalized state and ServiceNow's own label
// (docs/DESIGN.md §5). Shared by ticket creation, links and the sync engine's reconciliation.
import { type TTicketState, type TTicketTable } from "@/lib/schemas/tickets";

type StateInfo = { label: string; state: TTicketState };

const STATES: Record<TTicketTable, Record<string, StateInfo>> = {
  incident: {
    "1": { label: "New", state: "open" },
    "2": { label: "In Progress", state: "open" },
    "3": { label: "On Hold", state: "open" },
    "6": { label: "Resolved", state: "resolved" },
    "7": { label: "Closed", state: "closed" },
    "8": { label: "Canceled", state: "canceled" },
  },
  problem: {
    "101": { label: "New", state: "open" },
    "102": { label: "Assess", state: "open" },
    "103": { label: "Root Cause Analysis", state: "open" },
    "104": { label: "Fix in Progress", state: "open" },
    "106": { label: "Resolved", state: "resolved" },
    "107": { label: "Closed", state: "closed" },
  },
  change_request: {
    "-5": { label: "New", state: "open" },
    "-4": { label: "Assess", state: "open" },
    "-3": { label: "Authorize", state: "open" },
    "-2": { label: "Scheduled", state: "open" },
    "-1": { label: "Implement", state: "open" },
    "0": { label: "Review", state: "open" },
    "3": { label: "Closed", state: "closed" },
    "4": { label: "Canceled", state: "canceled" },
  },
  // Remediation-task tickets linked by earlier versions (read only): the documented CC task states
  // (lib/compliance-cc/states.ts), by the values observed on instances.
  sn_vulc_result_group: {
    "1": { label: "Open", state: "open" },
    "2": { label: "Under Investigation", state: "open" },
    "10": { label: "Awaiting Implementation", state: "open" },
    "11": { label: "In Review", state: "open" },
    "12": { label: "Deferred", state: "open" },
    "101": { label: "Resolved", state: "resolved" },
    "3": { label: "Closed", state: "closed" },
  },
};

/** Normalized state of a raw ServiceNow state; an unknown value counts as open (it is not finished). */
export function normalizeTicketState(table: TTicketTable, rawState: string): TTicketState {
  return STATES[table][rawState.trim()]?.state ?? "open";
}

/** ServiceNow's label for a raw state ("In Progress"), or the raw value when unknown. */
export function ticketStateLabel(table: TTicketTable, rawState: string): string {
  return STATES[table][rawState.trim()]?.label ?? (rawState || "Unknown");
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
