// What changed on a ticket between our row and the ServiceNow record just read (pure; unit-tested).
// Only fields a person sees or the reconciliation acts on make an event; a record touched without any
// such change (a work note, a comment) only moves the row's snUpdatedAt.
import { type TTicketState } from "@/lib/schemas/tickets";

export type TicketSnapshot = {
  number: string;
  rawState: string;
  /** ServiceNow's label of rawState ("In Progress"), what the history shows. */
  stateLabel: string;
  state: TTicketState;
  priority: number | null;
  impact: number | null;
  urgency: number | null;
  shortDescription: string;
  assignedToSysId: string | null;
  assignedToName: string | null;
  assignedToEmail: string | null;
  assignmentGroupSysId: string | null;
  assignmentGroupName: string | null;
  dueDate: Date | null;
  snUpdatedAt: Date | null;
  resolvedAt: Date | null;
};

/** Fields compared, and the name shown in the history. */
const WATCHED: Array<[keyof TicketSnapshot, string]> = [
  ["rawState", "state"],
  ["number", "number"],
  ["priority", "priority"],
  ["impact", "impact"],
  ["urgency", "urgency"],
  ["shortDescription", "shortDescription"],
  ["assignedToSysId", "assignedTo"],
  ["assignmentGroupSysId", "assignmentGroup"],
  ["dueDate", "dueDate"],
];

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return (a instanceof Date ? a.getTime() : a) === (b instanceof Date ? b.getTime() : b);
  return (a ?? null) === (b ?? null);
}

function shown(s: TicketSnapshot, field: keyof TicketSnapshot): unknown {
  if (field === "rawState") return s.stateLabel;
  if (field === "assignedToSysId") return s.assignedToName ?? s.assignedToEmail ?? s.assignedToSysId;
  if (field === "assignmentGroupSysId") return s.assignmentGroupName ?? s.assignmentGroupSysId;
  const value = s[field];
  return value instanceof Date ? value.toISOString() : value;
}

export type TicketDiff = {
  /** History names of the fields that changed (empty: nothing a person would notice). */
  changed: string[];
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  /** Whether the row must be written at all (a change, or a newer sys_updated_on). */
  isWriteNeeded: boolean;
};

export function diffTicket(row: TicketSnapshot, next: TicketSnapshot): TicketDiff {
  const changed: string[] = [];
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [field, name] of WATCHED) {
    if (same(row[field], next[field])) continue;
    changed.push(name);
    before[name] = shown(row, field);
    after[name] = shown(next, field);
  }
  // Name or e-mail of the same assignee may change in ServiceNow: keep the row current, no event.
  const isRefresh =
    !same(row.snUpdatedAt, next.snUpdatedAt) ||
    !same(row.assignedToName, next.assignedToName) ||
    !same(row.assignedToEmail, next.assignedToEmail) ||
    !same(row.assignmentGroupName, next.assignmentGroupName) ||
    !same(row.resolvedAt, next.resolvedAt);
  return { changed, before, after, isWriteNeeded: changed.length > 0 || isRefresh };
}

/**
 * When the ticket left the open states: kept while it stays resolved/closed/canceled, taken from
 * ServiceNow's resolved_at / closed_at (else the update's time) when it leaves them now, and cleared
 * when it is open again. Regression vs. drift is decided against it (reconcile-plan.ts).
 */
export function resolvedAtOf(
  row: Pick<TicketSnapshot, "state" | "resolvedAt">,
  nextState: TTicketState,
  record: { resolvedAt: Date | null; closedAt: Date | null; updatedAt: Date | null },
): Date | null {
  if (nextState === "open") return null;
  if (row.state !== "open" && row.resolvedAt) return row.resolvedAt;
  return record.resolvedAt ?? record.closedAt ?? record.updatedAt ?? new Date();
}

/** "INC0010001: state New → Resolved; assignee Ada → Bob" */
export function describeDiff(number: string, diff: Pick<TicketDiff, "changed" | "before" | "after">): string {
  const parts = diff.changed.map((name) => `${name} ${String(diff.before[name] ?? "—")} → ${String(diff.after[name] ?? "—")}`);
  return `${number}: ${parts.join("; ")}`;
}
