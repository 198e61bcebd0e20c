import "server-only";

// The desired governance state of findings, written in the same database transaction as the ticket
// or link that causes it (azureState = pending). pushGovernance() then sends it to Azure; whatever fails
// stays pending/error for the next sync to retry, so a throttled Azure never fails a ticket.
import { type Prisma } from "@/lib/generated/prisma/client";
import { governanceTicketLink, ticketNumberToInteger } from "@/lib/tickets/states";
import { governanceAssignmentKey } from "./keys";

type Tx = Pick<Prisma.TransactionClient, "$queryRaw">;

export type DesiredGovernance = {
  /** Owner e-mail (the assignee), or null to leave the owner empty. */
  owner: string | null;
  remediationDueDate: Date;
  isGracePeriod: boolean;
  /** `url` is the ticket's own link; Defender gets a link by number (governanceTicketLink). */
  ticket: { number: string; table: string; url: string; status: string };
};

function keysOf(findings: Array<{ id: string; armId: string }>) {
  return { findingIds: findings.map((f) => f.id), assignmentKeys: findings.map((f) => governanceAssignmentKey(f.armId)) };
}

/** Upserts the managed assignment of each finding (one statement for all); returns the ids to push. */
export async function writeDesiredGovernance(
  tx: Tx,
  findings: Array<{ id: string; armId: string }>,
  desired: DesiredGovernance,
): Promise<string[]> {
  if (findings.length === 0) return [];
  const { findingIds, assignmentKeys } = keysOf(findings);
  const ticketNumber = ticketNumberToInteger(desired.ticket.number);
  const ticketLink = governanceTicketLink(desired.ticket.url, desired.ticket.table, desired.ticket.number);
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    INSERT INTO "GovernanceAssignment" ("findingId", "assignmentKey", "isManaged", "owner", "remediationDueDate", "isGracePeriod",
      "ticketNumber", "ticketLink", "ticketStatus", "azureState", "azureError", "updatedAt")
    SELECT t.finding_id, t.assignment_key, true, ${desired.owner}, ${desired.remediationDueDate}, ${desired.isGracePeriod},
      ${ticketNumber}, ${ticketLink}, ${desired.ticket.status}, 'pending'::"AzureSyncState", NULL, now()
    FROM unnest(${findingIds}::uuid[], ${assignmentKeys}::text[]) AS t(finding_id, assignment_key)
    ON CONFLICT ("findingId", "assignmentKey") DO UPDATE SET
      "isManaged" = true, "owner" = EXCLUDED."owner", "remediationDueDate" = EXCLUDED."remediationDueDate",
      "isGracePeriod" = EXCLUDED."isGracePeriod", "ticketNumber" = EXCLUDED."ticketNumber", "ticketLink" = EXCLUDED."ticketLink",
      "ticketStatus" = EXCLUDED."ticketStatus", "azureState" = 'pending'::"AzureSyncState", "azureError" = NULL, "updatedAt" = now()
    RETURNING "id"`;
  return rows.map((r) => r.id);
}

/** After an unlink: the managed assignment keeps owner and due date but no longer names a ticket. */
export async function clearGovernanceTicket(tx: Tx, findings: Array<{ id: string; armId: string }>): Promise<string[]> {
  if (findings.length === 0) return [];
  const { findingIds, assignmentKeys } = keysOf(findings);
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    UPDATE "GovernanceAssignment" g SET "ticketNumber" = NULL, "ticketLink" = NULL, "ticketStatus" = NULL,
      "azureState" = 'pending'::"AzureSyncState", "azureError" = NULL, "updatedAt" = now()
    FROM unnest(${findingIds}::uuid[], ${assignmentKeys}::text[]) AS t(finding_id, assignment_key)
    WHERE g."findingId" = t.finding_id AND g."assignmentKey" = t.assignment_key AND g."isManaged"
    RETURNING g."id"`;
  return rows.map((r) => r.id);
}
