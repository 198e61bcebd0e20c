-- Finding."dueAt": a finding's due date, materialised (docs/PERFORMANCE.md, "List APIs"). It is the
-- earliest due date of its open current tickets (an active link to an open ticket), else its earliest
-- governance remediation date; overdue = Unhealthy and "dueAt" < now(). The findings list's overdue
-- filter and due sorts computed it per finding from two correlated subqueries and sorted every
-- match; the overdue filter sorted by due date now reads one range of the ("status", "dueAt", "id") index. Statement-level triggers keep it true, set-based,
-- whenever a link, a ticket's state or due date, or a governance assignment changes; the app never
-- writes it.

-- AlterTable
ALTER TABLE "Finding" ADD COLUMN     "dueAt" TIMESTAMPTZ(3);

-- The due date of the given findings, recomputed; rows are locked in id order (as the summary-dirty
-- triggers insert in key order) so two transactions refreshing overlapping findings cannot deadlock
-- on each other here, and only rows whose date changes are written.
CREATE OR REPLACE FUNCTION "posturedesk_finding_due_refresh"(ids uuid[]) RETURNS void
LANGUAGE sql AS $$
  WITH d AS (
    SELECT f."id", COALESCE(
      (SELECT min(t."dueDate") FROM "TicketLink" l JOIN "Ticket" t ON t."id" = l."ticketId"
        WHERE l."findingId" = f."id" AND l."activeConnectionId" IS NOT NULL AND t."state" = 'open'),
      (SELECT min(g."remediationDueDate") FROM "GovernanceAssignment" g WHERE g."findingId" = f."id")) AS due
    FROM "Finding" f WHERE f."id" = ANY(ids) ORDER BY f."id" FOR NO KEY UPDATE OF f
  )
  UPDATE "Finding" f SET "dueAt" = d.due FROM d WHERE f."id" = d."id" AND f."dueAt" IS DISTINCT FROM d.due;
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
UPDATE "Finding" f SET "dueAt" = d.due
FROM (
  SELECT x."findingId" AS id, COALESCE(
    (SELECT min(t."dueDate") FROM "TicketLink" l JOIN "Ticket" t ON t."id" = l."ticketId"
      WHERE l."findingId" = x."findingId" AND l."activeConnectionId" IS NOT NULL AND t."state" = 'open'),
    (SELECT min(g."remediationDueDate") FROM "GovernanceAssignment" g WHERE g."findingId" = x."findingId")) AS due
  FROM (SELECT "findingId" FROM "TicketLink" UNION SELECT "findingId" FROM "GovernanceAssignment") x
) d
WHERE f."id" = d.id AND d.due IS NOT NULL;

-- CreateIndex
CREATE INDEX "Finding_status_dueAt_id_idx" ON "Finding"("status", "dueAt", "id");

-- The tickets list sorted by last update (updatedAt DESC, id) read and sorted every ticket (27 ms at 10,000).
-- CreateIndex
CREATE INDEX "Ticket_updatedAt_id_idx" ON "Ticket"("updatedAt" DESC, "id");
