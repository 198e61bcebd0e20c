-- Substring search (q) of the findings and tickets lists uses trigram indexes: pg_trgm ships with
-- PostgreSQL (contrib), in the embedded binaries and the official images; creating it needs CREATE on the
-- database (docs/OPERATIONS.md).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- DropIndex
DROP INDEX "Finding_severity_status_idx";

-- CreateIndex
CREATE INDEX "Finding_severity_status_resourceName_id_idx" ON "Finding"("severity", "status", "resourceName", "id");

-- CreateIndex
CREATE INDEX "Finding_resourceName_trgm_idx" ON "Finding" USING GIN ("resourceName" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Ticket_number_trgm_idx" ON "Ticket" USING GIN ("number" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Ticket_shortDescription_trgm_idx" ON "Ticket" USING GIN ("shortDescription" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Ticket_assignedToName_trgm_idx" ON "Ticket" USING GIN ("assignedToName" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Ticket_assignmentGroupName_trgm_idx" ON "Ticket" USING GIN ("assignmentGroupName" gin_trgm_ops);
