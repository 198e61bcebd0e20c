import "server-only";

// The SQL of ticket-sync.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

/** The changed tickets' columns from ServiceNow, set-based ($1 ids, $2… one array per column, in order). */
export const UPDATE_TICKETS_SQL = `
  UPDATE "Ticket" t SET
    "number" = s."number", "rawState" = s."rawState", "state" = s."state", "priority" = s."priority", "impact" = s."impact",
    "urgency" = s."urgency", "shortDescription" = s."shortDescription", "assignedToSysId" = s."assignedToSysId",
    "assignedToName" = s."assignedToName", "assignedToEmail" = s."assignedToEmail", "assignmentGroupSysId" = s."assignmentGroupSysId",
    "assignmentGroupName" = s."assignmentGroupName", "dueDate" = s."dueDate", "snUpdatedAt" = s."snUpdatedAt",
    "resolvedAt" = s."resolvedAt", "lastSyncedAt" = now(), "updatedAt" = now(),
    -- "Ready to resolve" ends when the problem leaves the open states; a "not applied" flag when the state moves.
    "readyToResolveAt" = CASE WHEN s."state" = 'open' THEN t."readyToResolveAt" END,
    "notAppliedMessage" = CASE WHEN s."rawState" IS NOT DISTINCT FROM t."rawState" THEN t."notAppliedMessage" END,
    "notAppliedAt" = CASE WHEN s."rawState" IS NOT DISTINCT FROM t."rawState" THEN t."notAppliedAt" END
  FROM unnest($1::uuid[], $2::text[], $3::text[], $4::"TicketState"[], $5::int4[], $6::int4[], $7::int4[], $8::text[], $9::text[], $10::text[],
              $11::text[], $12::text[], $13::text[], $14::timestamptz[], $15::timestamptz[], $16::timestamptz[])
    AS s("id", "number", "rawState", "state", "priority", "impact", "urgency", "shortDescription", "assignedToSysId", "assignedToName",
         "assignedToEmail", "assignmentGroupSysId", "assignmentGroupName", "dueDate", "snUpdatedAt", "resolvedAt")
  WHERE t."id" = s."id"`;
