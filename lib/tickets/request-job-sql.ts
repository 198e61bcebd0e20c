import "server-only";
import { db } from "@/lib/db";
import { type Prisma, type TicketRequest } from "@/lib/generated/prisma/client";
import { ticketTypeLabel } from "@/lib/schemas/tickets";

// The SQL of request-job.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

export type AttemptLogEntry = { at: string; code: string; message: string };

/** The settled request in the sync history: a finished SyncRun (kind ticket_request) with its attempts as events. Once per request. */
export async function recordInHistory(request: TicketRequest): Promise<void> {
  if (request.status === "pending" || request.runId) return;
  const ticket = request.ticketId
    ? await db().ticket.findUnique({ where: { id: request.ticketId }, select: { id: true, number: true, table: true } })
    : null;
  const attempts = (Array.isArray(request.attemptLog) ? request.attemptLog : []) as AttemptLogEntry[];
  const label = ticketTypeLabel(request.table).toLowerCase();
  const n = request.findingIds.length;
  const findingId = n === 1 ? request.findingIds[0]! : null;
  const findingsText = `${n} finding${n === 1 ? "" : "s"}`;
  const isCreated = request.status === "created" && ticket;
  const entries: Array<Prisma.SyncEventCreateManyRunInput | null> = [
    ...attempts.map((a, i) => ({
      at: new Date(a.at),
      action: "error" as const,
      entityType: "ticket_request",
      entityId: request.id,
      findingId,
      after: { attempt: i + 1, code: a.code } as Prisma.InputJsonValue,
      message: `Attempt ${i + 1} to create the ${label} for ${findingsText} failed: ${a.message}`,
      isRetryable: i + 1 < attempts.length || Boolean(isCreated),
    })),
    // A rule's ticket gets its "created" line from the sync engine (recordCreatedTickets), once: not here too.
    isCreated && request.ruleId
      ? null
      : isCreated
        ? {
            action: "created" as const,
            entityType: "ticket",
            entityId: ticket.number,
            ticketId: ticket.id,
            findingId,
            after: {
              number: ticket.number,
              table: ticket.table,
              ticketRequestId: request.id,
              attempts: request.attempts,
              findingIds: request.findingIds,
            } as Prisma.InputJsonValue,
            message: `${ticket.number} created for ${findingsText} after ${request.attempts} attempt${request.attempts === 1 ? "" : "s"}`,
          }
        : {
            action: "error" as const,
            entityType: "ticket_request",
            entityId: request.id,
            findingId,
            after: { ticketRequestId: request.id, attempts: request.attempts, findingIds: request.findingIds } as Prisma.InputJsonValue,
            message: `The ${label} for ${findingsText} was not created: ${request.error ?? "unknown error"}`,
          },
  ];
  const events = entries.filter((e): e is Prisma.SyncEventCreateManyRunInput => e !== null);
  // Only requests that needed the retry job get a history entry (a first attempt that succeeded is in the audit log).
  if (attempts.length === 0 && isCreated) return;
  await db().$transaction(async (tx) => {
    // Two workers settling the same request write one history entry: the row lock decides.
    const unrecorded = await tx.$queryRaw<
      unknown[]
    >`SELECT 1 FROM "TicketRequest" WHERE "id" = ${request.id}::uuid AND "runId" IS NULL FOR UPDATE`;
    if (unrecorded.length === 0) return;
    const run = await tx.syncRun.create({
      data: {
        kind: "ticket_request",
        trigger: request.requestedByType === "rule" ? "rule" : request.requestedByType === "token" ? "api" : "manual",
        status: isCreated ? "succeeded" : "failed",
        connectionId: request.connectionId,
        requestedByType: request.requestedByType,
        requestedById: request.requestedById,
        queuedAt: request.createdAt,
        startedAt: request.createdAt,
        finishedAt: request.finishedAt ?? new Date(),
        counts: {
          attempts: request.attempts,
          created: isCreated ? 1 : 0,
          errors: events.filter((e) => e.action === "error").length,
        } as Prisma.InputJsonValue,
        error: isCreated ? null : request.error,
        events: { createMany: { data: events } },
      },
    });
    await tx.ticketRequest.update({ where: { id: request.id }, data: { runId: run.id } });
  });
}
