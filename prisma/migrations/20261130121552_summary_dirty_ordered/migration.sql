-- Concurrent ticket creations mark overlapping recommendations dirty. Rows inserted by one uncommitted
-- transaction make another inserting the same key wait; two statements inserting the same keys in
-- different orders could therefore deadlock. Inserting in key order makes every transaction take those
-- row locks in the same order.
CREATE OR REPLACE FUNCTION "posturedesk_summary_dirty_by_finding"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "RecommendationSummaryDirty" ("recommendationKey")
  SELECT DISTINCT f."recommendationKey" FROM changed_rows c JOIN "Finding" f ON f."id" = c."findingId"
  ORDER BY 1
  ON CONFLICT ("recommendationKey") DO NOTHING;
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION "posturedesk_summary_dirty_by_ticket"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "RecommendationSummaryDirty" ("recommendationKey")
  SELECT DISTINCT f."recommendationKey"
  FROM new_rows n
  JOIN old_rows o ON o."id" = n."id"
  JOIN "TicketLink" l ON l."ticketId" = n."id" AND l."activeConnectionId" IS NOT NULL
  JOIN "Finding" f ON f."id" = l."findingId"
  WHERE (n."state", n."dueDate", n."assignedToName", n."isDrift") IS DISTINCT FROM (o."state", o."dueDate", o."assignedToName", o."isDrift")
  ORDER BY 1
  ON CONFLICT ("recommendationKey") DO NOTHING;
  RETURN NULL;
END;
$$;
