import "server-only";
import { pool } from "@/lib/db";
import { type RunReporter } from "./reporter-sql";

// The SQL of rules-phase.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

/**
 * One "created" event per ticket the engine created (by a rule, or replacing a regressed ticket) that
 * has none yet, with its findings — written from the tickets themselves, set-based.
 */
export async function recordCreatedTickets(connectionId: string, runId: string, reporter?: RunReporter): Promise<number> {
  const { rows } = await pool().query<{ ticketId: string }>(
    `INSERT INTO "SyncEvent" ("runId", "action", "entityType", "entityId", "ticketId", "findingId", "after", "message")
     SELECT $2::uuid, 'created', 'ticket', t."number", t."id",
       CASE WHEN cardinality(links.ids) = 1 THEN links.ids[1] END,
       jsonb_build_object('number', t."number", 'table', t."table", 'state', t."rawState", 'ruleId', t."ruleId", 'rule', r."name",
         'replaces', old."number", 'findingIds', to_jsonb(links.ids)),
       CASE WHEN old."id" IS NOT NULL
         THEN t."number" || ' created for ' || cardinality(links.ids) || ' finding(s) unhealthy again; replaces ' || old."number"
         ELSE t."number" || ' created by rule "' || COALESCE(r."name", '?') || '" for ' || cardinality(links.ids) || ' finding(s)' END
     FROM "Ticket" t
     LEFT JOIN "AutomationRule" r ON r."id" = t."ruleId"
     LEFT JOIN "Ticket" old ON old."id" = t."replacesTicketId"
     CROSS JOIN LATERAL (SELECT array_agg(l."findingId" ORDER BY l."findingId") AS ids FROM "TicketLink" l WHERE l."ticketId" = t."id") links
     WHERE t."connectionId" = $1::uuid AND (t."ruleId" IS NOT NULL OR t."replacesTicketId" IS NOT NULL)
       AND NOT EXISTS (SELECT 1 FROM "SyncEvent" e WHERE e."ticketId" = t."id" AND e."action" = 'created')
     RETURNING "ticketId"`,
    [connectionId, runId],
  );
  reporter?.noteEvents(rows.map(() => ({ action: "created", entityType: "ticket", message: "" })));
  return rows.length;
}
