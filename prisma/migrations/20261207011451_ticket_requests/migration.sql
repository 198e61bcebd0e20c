-- CreateEnum
CREATE TYPE "TicketRequestStatus" AS ENUM ('pending', 'created', 'failed');

-- AlterEnum
ALTER TYPE "SyncKind" ADD VALUE 'ticket_request';

-- CreateTable
CREATE TABLE "TicketRequest" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "connectionId" UUID NOT NULL,
    "table" "TicketTable" NOT NULL,
    "findingIds" UUID[],
    "correlationId" TEXT NOT NULL,
    "fields" JSONB NOT NULL,
    "options" JSONB NOT NULL DEFAULT '{}',
    "requestedByType" "ActorType" NOT NULL,
    "requestedById" TEXT,
    "ruleId" UUID,
    "requestId" TEXT,
    "status" "TicketRequestStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3),
    "errorCode" TEXT,
    "error" TEXT,
    "attemptLog" JSONB NOT NULL DEFAULT '[]',
    "ticketId" UUID,
    "runId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "TicketRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TicketRequest_status_nextAttemptAt_idx" ON "TicketRequest"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "TicketRequest_connectionId_correlationId_idx" ON "TicketRequest"("connectionId", "correlationId");

-- CreateIndex
CREATE INDEX "TicketRequest_findingIds_idx" ON "TicketRequest" USING GIN ("findingIds");
