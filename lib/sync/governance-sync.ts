import "server-only";

// Tickets → Defender governance assignments (docs/DESIGN.md §4.3): the assignee becomes the owner, the due
// date the remediationDueDate, and number (digits: Defender's int32), a link that opens the ticket by its
// full number, and status go to additionalData. The desired state is
// written set-based (only rows that differ, each with a history event), then pushed to Azure by the
// governance service; rows Azure refused stay in error and are pushed again by the next run.
import { db, pool, withTransaction } from "@/lib/db";
import { pushGovernance } from "@/lib/governance/push";
import { governanceTicketLink, ticketNumberToInteger, ticketStateLabel } from "@/lib/tickets/states";
import { type TTicketTable } from "@/lib/schemas/tickets";
import { type SyncEventInput, writeSyncEvents } from "./events";
import { type RunReporter } from "./reporter";

const PUSH_CHUNK = 500;

type Changed = {
  id: string;
  findingId: string;
  ticketId: string;
  number: string;
  before: { owner: string | null; due: Date | null; ticketNumber: number | null; ticketLink: string | null; ticketStatus: string | null };
  after: { owner: string | null; due: Date | null; ticketNumber: number | null; ticketLink: string | null; ticketStatus: string | null };
};

const UPDATE_SQL = `
  WITH src AS (
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::int4[], $4::text[]) AS s("ticketId", "label", "num", "link")
  ), desired AS (
    SELECT ga."id", ga."findingId", tk."id" AS "ticketId", tk."number",
      ga."owner" AS "oldOwner", ga."remediationDueDate" AS "oldDue", ga."ticketNumber" AS "oldNum", ga."ticketLink" AS "oldLink", ga."ticketStatus" AS "oldStatus",
      COALESCE(tk."assignedToEmail", ga."owner") AS "owner", COALESCE(tk."dueDate", ga."remediationDueDate") AS "due",
      src."num", src."link", src."label" AS "status"
    FROM src
    JOIN "Ticket" tk ON tk."id" = src."ticketId"
    JOIN "TicketLink" l ON l."ticketId" = tk."id" AND l."activeConnectionId" = tk."connectionId"
    JOIN "GovernanceAssignment" ga ON ga."findingId" = l."findingId" AND ga."isManaged"
  )
  UPDATE "GovernanceAssignment" g SET
    "owner" = d."owner", "remediationDueDate" = d."due", "ticketNumber" = d."num", "ticketLink" = d."link", "ticketStatus" = d."status",
    "azureState" = 'pending', "azureError" = NULL, "updatedAt" = now()
  FROM desired d
  WHERE g."id" = d."id"
    AND (g."owner", g."remediationDueDate", g."ticketNumber", g."ticketLink", g."ticketStatus") IS DISTINCT FROM (d."owner", d."due", d."num", d."link", d."status")
  RETURNING g."id", d."findingId", d."ticketId", d."number", d."oldOwner", d."oldDue", d."oldNum", d."oldLink", d."oldStatus", d."owner", d."due", d."num", d."link", d."status"`;

const LABELS = { owner: "owner", due: "due date", ticketStatus: "status", ticketNumber: "ticket number", ticketLink: "ticket link" } as const;

function changedLabels(c: Changed): string[] {
  const text = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));
  return (Object.keys(LABELS) as Array<keyof typeof LABELS>).filter((k) => text(c.before[k]) !== text(c.after[k])).map((k) => LABELS[k]);
}

/** Brings the managed assignments of the tickets' findings in line with the tickets; returns the ids changed. */
export async function syncGovernanceFromTickets(input: { connectionId: string; ticketIds?: string[]; runId: string; reporter?: RunReporter }): Promise<string[]> {
  const tickets = await db().ticket.findMany({
    // ITSM tickets only: a finding's governance assignment follows its ITSM ticket; a CC remediation task
    // linked to the same finding would otherwise overwrite it on every run.
    where: { connectionId: input.connectionId, module: "itsm", ...(input.ticketIds ? { id: { in: input.ticketIds } } : {}), links: { some: { activeConnectionId: input.connectionId } } },
    select: { id: true, table: true, rawState: true, number: true, url: true },
  });
  if (tickets.length === 0) return [];
  return withTransaction(async (client) => {
    const { rows } = await client.query(UPDATE_SQL, [
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

/**
 * Pushes to Azure every managed assignment of the connection's findings that Azure does not have yet
 * (pending) or refused last time (error), and records each refusal as a retryable error event.
 */
export async function pushConnectionGovernance(input: { connectionId: string; runId: string; reporter?: RunReporter; findingIds?: string[] }): Promise<{ synced: number; failed: number }> {
  const { rows } = await pool().query<{ id: string }>(
    `SELECT ga."id" FROM "GovernanceAssignment" ga
     WHERE ga."isManaged" AND ga."azureState" IN ('pending', 'error')
       AND ($2::uuid[] IS NULL OR ga."findingId" = ANY($2::uuid[]))
       AND EXISTS (SELECT 1 FROM "TicketLink" l WHERE l."findingId" = ga."findingId" AND l."connectionId" = $1::uuid)
     ORDER BY ga."updatedAt"`,
    [input.connectionId, input.findingIds ?? null],
  );
  const ids = rows.map((r) => r.id);
  const total = { synced: 0, failed: 0 };
  input.reporter?.progress(0, ids.length);
  for (let i = 0; i < ids.length; i += PUSH_CHUNK) {
    input.reporter?.assertAlive();
    const chunk = ids.slice(i, i + PUSH_CHUNK);
    const result = await pushGovernance(chunk);
    total.synced += result.synced;
    total.failed += result.failed;
    input.reporter?.advance(chunk.length);
    if (result.failed > 0) {
      const failed = await db().governanceAssignment.findMany({
        where: { id: { in: chunk }, azureState: "error" },
        select: { id: true, findingId: true, azureError: true, finding: { select: { resourceName: true } } },
      });
      const events: SyncEventInput[] = failed.map((f) => ({
        action: "error",
        entityType: "governance",
        entityId: f.id,
        findingId: f.findingId,
        message: `Azure did not take the governance assignment of ${f.finding.resourceName}: ${f.azureError ?? "unknown error"}`,
        isRetryable: true,
      }));
      await writeSyncEvents(input.runId, events);
      input.reporter?.noteEvents(events);
    }
  }
  input.reporter?.count("governance.pushed", total.synced);
  input.reporter?.count("governance.failed", total.failed);
  return total;
}
