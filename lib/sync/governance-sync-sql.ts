import "server-only";
import { db, pool } from "@/lib/db";
import { pushGovernance } from "@/lib/governance/push";
import { type SyncEventInput, writeSyncEvents } from "./events";
import { type RunReporter } from "./reporter-sql";

// The SQL of governance-sync.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

export const PUSH_CHUNK = 500;

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
