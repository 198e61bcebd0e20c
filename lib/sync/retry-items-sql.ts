import "server-only";
import { pool } from "@/lib/db";

// The SQL of retry-items.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

export type RetryEntity = "servicenow_record" | "ticket_action" | "rule_ticket" | "regression";

export const retryScope = (connectionId: string) => `connection:${connectionId}`;

export async function recordRetryItem(
  connectionId: string,
  entityType: RetryEntity,
  entityId: string,
  error: string,
  runId: string,
): Promise<void> {
  await pool().query(
    `INSERT INTO "SyncRetryItem" ("scope", "entityType", "entityId", "lastError", "lastRunId", "updatedAt")
     VALUES ($1, $2, $3, $4, $5::uuid, now())
     ON CONFLICT ("scope", "entityType", "entityId") DO UPDATE
       SET "attempts" = "SyncRetryItem"."attempts" + 1, "lastError" = EXCLUDED."lastError", "lastRunId" = EXCLUDED."lastRunId", "updatedAt" = now()`,
    [retryScope(connectionId), entityType, entityId, error.slice(0, 2000), runId],
  );
}
