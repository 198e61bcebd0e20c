-- CreateTable
CREATE TABLE "RecommendationSummary" (
    "recommendationKey" TEXT NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "resourceType" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "total" INTEGER NOT NULL,
    "unhealthy" INTEGER NOT NULL,
    "healthy" INTEGER NOT NULL,
    "notApplicable" INTEGER NOT NULL,
    "ticketOpen" INTEGER NOT NULL,
    "ticketResolved" INTEGER NOT NULL,
    "unhealthyCovered" INTEGER NOT NULL,
    "unhealthyNoTicket" INTEGER NOT NULL,
    "drift" INTEGER NOT NULL,
    "nearestDueAt" TIMESTAMPTZ(3),
    "owner" TEXT,
    "ownerFindings" INTEGER NOT NULL,
    "refreshedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecommendationSummary_pkey" PRIMARY KEY ("recommendationKey","subscriptionId","resourceType")
);

-- CreateTable
CREATE TABLE "RecommendationSummaryDirty" (
    "recommendationKey" TEXT NOT NULL,
    "markedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecommendationSummaryDirty_pkey" PRIMARY KEY ("recommendationKey")
);

-- CreateIndex
CREATE INDEX "RecommendationSummary_subscriptionId_idx" ON "RecommendationSummary"("subscriptionId");

-- ───────────── Written by hand: what schema.prisma cannot express (invisible to the drift check) ─────────────

-- Ticket, link and governance changes mark the recommendations they touch as dirty; the next read of the
-- recommendations list (or the next ingestion) recomputes only those summary rows (lib/recommendations/
-- summary.ts). Statement-level triggers with transition tables: one INSERT per statement, whatever its size.
CREATE FUNCTION "posturedesk_summary_dirty_by_finding"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "RecommendationSummaryDirty" ("recommendationKey")
  SELECT DISTINCT f."recommendationKey" FROM changed_rows c JOIN "Finding" f ON f."id" = c."findingId"
  ON CONFLICT ("recommendationKey") DO NOTHING;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "TicketLink_summary_dirty_insert" AFTER INSERT ON "TicketLink"
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "posturedesk_summary_dirty_by_finding"();
CREATE TRIGGER "TicketLink_summary_dirty_update" AFTER UPDATE ON "TicketLink"
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "posturedesk_summary_dirty_by_finding"();
CREATE TRIGGER "TicketLink_summary_dirty_delete" AFTER DELETE ON "TicketLink"
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "posturedesk_summary_dirty_by_finding"();
CREATE TRIGGER "GovernanceAssignment_summary_dirty_insert" AFTER INSERT ON "GovernanceAssignment"
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "posturedesk_summary_dirty_by_finding"();
CREATE TRIGGER "GovernanceAssignment_summary_dirty_update" AFTER UPDATE ON "GovernanceAssignment"
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "posturedesk_summary_dirty_by_finding"();
CREATE TRIGGER "GovernanceAssignment_summary_dirty_delete" AFTER DELETE ON "GovernanceAssignment"
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "posturedesk_summary_dirty_by_finding"();

-- A ticket update matters only when what the list shows changes (state, due date, assignee, drift);
-- the sync touches every ticket's lastSyncedAt, which must not dirty every recommendation.
CREATE FUNCTION "posturedesk_summary_dirty_by_ticket"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "RecommendationSummaryDirty" ("recommendationKey")
  SELECT DISTINCT f."recommendationKey"
  FROM new_rows n
  JOIN old_rows o ON o."id" = n."id"
  JOIN "TicketLink" l ON l."ticketId" = n."id" AND l."activeConnectionId" IS NOT NULL
  JOIN "Finding" f ON f."id" = l."findingId"
  WHERE (n."state", n."dueDate", n."assignedToName", n."isDrift") IS DISTINCT FROM (o."state", o."dueDate", o."assignedToName", o."isDrift")
  ON CONFLICT ("recommendationKey") DO NOTHING;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Ticket_summary_dirty_update" AFTER UPDATE ON "Ticket"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "posturedesk_summary_dirty_by_ticket"();
