import "server-only";

// Tickets → Defender governance assignments (docs/DESIGN.md §4.3): the assignee becomes the owner, the due
// date the remediationDueDate, and number (digits: Defender's int32), a link that opens the ticket by its
// full number, and status go to additionalData. The desired state is
// written set-based (only rows that differ, each with a history event), then pushed to Azure by the
// governance service; rows Azure refused stay in error and are pushed again by the next run.
import { db, withTransaction } from "@/lib/db";
import { governanceTicketLink, ticketNumberToInteger, ticketStateLabel } from "@/lib/tickets/states";
import { type TTicketTable } from "@/lib/schemas/tickets";
import { type SyncEventInput, writeSyncEvents } from "./events";
import { type RunReporter } from "./reporter-sql";
import { GOVERNANCE_FROM_TICKETS_SQL } from "./governance-sync-sql";
export { pushConnectionGovernance } from "./governance-sync-sql";

type Changed = {
  id: string;
  findingId: string;
  ticketId: string;
  number: string;
  before: { owner: string | null; due: Date | null; ticketNumber: number | null; ticketLink: string | null; ticketStatus: string | null };
  after: { owner: string | null; due: Date | null; ticketNumber: number | null; ticketLink: string | null; ticketStatus: string | null };
};

const LABELS = {
  owner: "owner",
  due: "due date",
  ticketStatus: "status",
  ticketNumber: "ticket number",
  ticketLink: "ticket link",
} as const;

function changedLabels(c: Changed): string[] {
  const text = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));
  return (Object.keys(LABELS) as Array<keyof typeof LABELS>).filter((k) => text(c.before[k]) !== text(c.after[k])).map((k) => LABELS[k]);
}

/** Brings the managed assignments of the tickets' findings in line with the tickets; returns the ids changed. */
export async function syncGovernanceFromTickets(input: {
  connectionId: string;
  ticketIds?: string[];
  runId: string;
  reporter?: RunReporter;
}): Promise<string[]> {
  const tickets = await db().ticket.findMany({
    // ITSM tickets only: a finding's governance assignment follows its ITSM ticket; a CC remediation task
    // linked to the same finding would otherwise overwrite it on every run.
    where: {
      connectionId: input.connectionId,
      module: "itsm",
      ...(input.ticketIds ? { id: { in: input.ticketIds } } : {}),
      links: { some: { activeConnectionId: input.connectionId } },
    },
    select: { id: true, table: true, rawState: true, number: true, url: true },
  });
  if (tickets.length === 0) return [];
  return withTransaction(async (client) => {
    const { rows } = await client.query(GOVERNANCE_FROM_TICKETS_SQL, [
      tickets.map((t) => t.id),
      tickets.map((t) => ticketStateLabel(t.table as TTicketTable, t.rawState)),
      tickets.map((t) => ticketNumberToInteger(t.number)),
      tickets.map((t) => governanceTicketLink(t.url, t.table, t.number)),
    ]);
    const changed: Changed[] = rows.map((r) => ({
      id: r.id,
      findingId: r.findingId,
      ticketId: r.ticketId,
      number: r.number,
      before: { owner: r.oldOwner, due: r.oldDue, ticketNumber: r.oldNum, ticketLink: r.oldLink, ticketStatus: r.oldStatus },
      after: { owner: r.owner, due: r.due, ticketNumber: r.num, ticketLink: r.link, ticketStatus: r.status },
    }));
    const events: SyncEventInput[] = changed.map((c) => ({
      action: "governance_updated",
      entityType: "governance",
      entityId: c.id,
      ticketId: c.ticketId,
      findingId: c.findingId,
      before: c.before,
      after: c.after,
      message: `Governance assignment follows ${c.number}: ${changedLabels(c).join(", ")}`,
    }));
    await writeSyncEvents(input.runId, events, client);
    input.reporter?.noteEvents(events);
    return changed.map((c) => c.id);
  });
}
