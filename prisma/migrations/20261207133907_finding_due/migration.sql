-- "FindingDue": a finding's due date, materialised (docs/PERFORMANCE.md, "List APIs"), one row per finding
-- that has one. It is the earliest due date of its open current tickets (an active link to an open
-- ticket), else its earliest governance remediation date; overdue = Unhealthy and "dueAt" < now(). The
-- findings list's overdue filter and due sorts computed it per finding from two correlated subqueries
-- and sorted every match; the overdue filter sorted by due date now walks the ("dueAt", "findingId")
-- index. Statement-level triggers keep it true, set-based, whenever a link, a ticket's state or due
-- date, or a governance assignment changes; the app never writes it. A table of its own rather than a
-- column of Finding: these writes lock only its rows (and share-lock the Finding keys), so ticket
-- creation never waits for, or deadlocks with, an ingestion updating the same findings.

-- CreateTable
CREATE TABLE "FindingDue" (
    "findingId" UUID NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "FindingDue_pkey" PRIMARY KEY ("findingId")
);

-- CreateIndex
CREATE INDEX "FindingDue_dueAt_findingId_idx" ON "FindingDue"("dueAt", "findingId");

-- The tickets list sorted by last update (updatedAt DESC, id) read and sorted every ticket (27 ms at 10,000).
-- CreateIndex
CREATE INDEX "Ticket_updatedAt_id_idx" ON "Ticket"("updatedAt" DESC, "id");

-- AddForeignKey
ALTER TABLE "FindingDue" ADD CONSTRAINT "FindingDue_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The due date of the given findings, recomputed: upserted where there is one (only when it changed),
-- deleted where there is none. Rows are written in finding id order (as the summary-dirty triggers insert
-- in key order), so two statements refreshing overlapping findings take their locks in the same order.
CREATE OR REPLACE FUNCTION "posturedesk_finding_due_refresh"(ids uuid[]) RETURNS void
LANGUAGE sql AS $$
  WITH d AS (
    SELECT f."id", COALESCE(
      (SELECT min(t."dueDate") FROM "TicketLink" l JOIN "Ticket" t ON t."id" = l."ticketId"
        WHERE l."findingId" = f."id" AND l."activeConnectionId" IS NOT NULL AND t."state" = 'open'),
      (SELECT min(g."remediationDueDate") FROM "GovernanceAssignment" g WHERE g."findingId" = f."id")) AS due
    FROM "Finding" f WHERE f."id" = ANY(ids)
  ),
  gone AS (
    DELETE FROM "FindingDue" x WHERE x."findingId" = ANY(ids) AND NOT EXISTS (SELECT 1 FROM d WHERE d."id" = x."findingId" AND d.due IS NOT NULL)
  )
  INSERT INTO "FindingDue" ("findingId", "dueAt")
  SELECT d."id", d.due FROM d WHERE d.due IS NOT NULL ORDER BY d."id"
  ON CONFLICT ("findingId") DO UPDATE SET "dueAt" = EXCLUDED."dueAt" WHERE "FindingDue"."dueAt" IS DISTINCT FROM EXCLUDED."dueAt";
$$;

-- Links and governance assignments: the findings of the changed rows (both sides of an update).
CREATE OR REPLACE FUNCTION "posturedesk_finding_due_by_finding"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "posturedesk_finding_due_refresh"(ARRAY(SELECT DISTINCT c."findingId" FROM changed_rows c));
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION "posturedesk_finding_due_by_finding_update"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "posturedesk_finding_due_refresh"(ARRAY(
    SELECT n."findingId" FROM new_rows n
    UNION
    SELECT o."findingId" FROM old_rows o));
  RETURN NULL;
END;
$$;

-- Tickets: only when the state or the due date changed, the findings actively linked to them.
CREATE OR REPLACE FUNCTION "posturedesk_finding_due_by_ticket"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "posturedesk_finding_due_refresh"(ARRAY(
    SELECT DISTINCT l."findingId"
    FROM new_rows n
    JOIN old_rows o ON o."id" = n."id"
    JOIN "TicketLink" l ON l."ticketId" = n."id" AND l."activeConnectionId" IS NOT NULL
    WHERE (n."state", n."dueDate") IS DISTINCT FROM (o."state", o."dueDate")));
  RETURN NULL;
END;
$$;

CREATE TRIGGER "TicketLink_finding_due_insert" AFTER INSERT ON "TicketLink"
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "posturedesk_finding_due_by_finding"();
CREATE TRIGGER "TicketLink_finding_due_update" AFTER UPDATE ON "TicketLink"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "posturedesk_finding_due_by_finding_update"();
CREATE TRIGGER "TicketLink_finding_due_delete" AFTER DELETE ON "TicketLink"
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "posturedesk_finding_due_by_finding"();
CREATE TRIGGER "GovernanceAssignment_finding_due_insert" AFTER INSERT ON "GovernanceAssignment"
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "posturedesk_finding_due_by_finding"();
CREATE TRIGGER "GovernanceAssignment_finding_due_update" AFTER UPDATE ON "GovernanceAssignment"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "posturedesk_finding_due_by_finding_update"();
CREATE TRIGGER "GovernanceAssignment_finding_due_delete" AFTER DELETE ON "GovernanceAssignment"
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "posturedesk_finding_due_by_finding"();
CREATE TRIGGER "Ticket_finding_due_update" AFTER UPDATE ON "Ticket"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "posturedesk_finding_due_by_ticket"();

-- The findings that have a due date today.
INSERT INTO "FindingDue" ("findingId", "dueAt")
SELECT d.id, d.due FROM (
  SELECT x."findingId" AS id, COALESCE(
    (SELECT min(t."dueDate") FROM "TicketLink" l JOIN "Ticket" t ON t."id" = l."ticketId"
      WHERE l."findingId" = x."findingId" AND l."activeConnectionId" IS NOT NULL AND t."state" = 'open'),
    (SELECT min(g."remediationDueDate") FROM "GovernanceAssignment" g WHERE g."findingId" = x."findingId")) AS due
  FROM (SELECT "findingId" FROM "TicketLink" UNION SELECT "findingId" FROM "GovernanceAssignment") x
) d
WHERE d.due IS NOT NULL;
