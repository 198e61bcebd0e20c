import "server-only";
import { db, pool } from "@/lib/db";
import { pushGovernance } from "@/lib/governance/push";
import { type SyncEventInput, writeSyncEvents } from "./events";
import { type RunReporter } from "./reporter-sql";

// The SQL of governance-sync.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

export const PUSH_CHUNK = 500;

/**
 * The managed assignments of the tickets' findings brought in line with the tickets ($1 ticket ids, $2 status
 * labels, $3 numbers, $4 links): only rows that differ, returned with their values before and after.
 */
export const GOVERNANCE_FROM_TICKETS_SQL = `
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

/**
 * Pushes to Azure every managed assignment of the connection's findings that Azure does not have yet
 * (pending) or refused last time (error), and records each refusal as a retryable error event.
 */
export async function pushConnectionGovernance(input: {
  connectionId: string;
  runId: string;
  reporter?: RunReporter;
  findingIds?: string[];
}): Promise<{ synced: number; failed: number }> {
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
