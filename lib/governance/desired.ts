import "server-only";

// The desired governance state of findings, written in the same database transaction as the ticket
// or link that causes it (azureState = pending). pushGovernance() then sends it to Azure; whatever fails
// stays pending/error for the next sync to retry, so a throttled Azure never fails a ticket.
import { type Prisma } from "@/lib/generated/prisma/client";
import { ticketNumberToInteger } from "@/lib/tickets/states";
import { governanceAssignmentKey } from "./keys";

type Tx = Pick<Prisma.TransactionClient, "governanceAssignment">;

export type DesiredGovernance = {
  /** Owner e-mail (the assignee), or null to leave the owner empty. */
  owner: string | null;
  remediationDueDate: Date;
  isGracePeriod: boolean;
  ticket: { number: string; url: string; status: string };
};

/** Upserts the managed assignment of each finding; returns the assignment ids to push. */
export async function writeDesiredGovernance(tx: Tx, findings: Array<{ id: string; armId: string }>, desired: DesiredGovernance): Promise<string[]> {
  const ids: string[] = [];
  const fields = {
    isManaged: true,
    owner: desired.owner,
    remediationDueDate: desired.remediationDueDate,
    isGracePeriod: desired.isGracePeriod,
    ticketNumber: ticketNumberToInteger(desired.ticket.number),
    ticketLink: desired.ticket.url,
    ticketStatus: desired.ticket.status,
    azureState: "pending" as const,
    azureError: null,
  };
  for (const finding of findings) {
    const assignmentKey = governanceAssignmentKey(finding.armId);
    const row = await tx.governanceAssignment.upsert({
      where: { findingId_assignmentKey: { findingId: finding.id, assignmentKey } },
      create: { findingId: finding.id, assignmentKey, ...fields },
      update: fields,
      select: { id: true },
    });
    ids.push(row.id);
  }
  return ids;
}

/** After an unlink: the managed assignment keeps owner and due date but no longer names a ticket. */
export async function clearGovernanceTicket(tx: Tx, findings: Array<{ id: string; armId: string }>): Promise<string[]> {
  const ids: string[] = [];
  for (const finding of findings) {
    const assignmentKey = governanceAssignmentKey(finding.armId);
    const updated = await tx.governanceAssignment.updateMany({
      where: { findingId: finding.id, assignmentKey, isManaged: true },
      data: { ticketNumber: null, ticketLink: null, ticketStatus: null, azureState: "pending", azureError: null },
    });
    if (updated.count > 0) {
      const row = await tx.governanceAssignment.findUnique({ where: { findingId_assignmentKey: { findingId: finding.id, assignmentKey } }, select: { id: true } });
      if (row) ids.push(row.id);
    }
  }
  return ids;
}
