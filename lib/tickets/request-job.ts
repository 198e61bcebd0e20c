import "server-only";

// The `ticket-request` job: one more attempt at a pending TicketRequest (lib/tickets/requests.ts).
// Each attempt takes the exactly-once path of create-one.ts — under the advisory lock the correlation
// id is looked up in ServiceNow first, so a POST that was applied but never answered is adopted, not
// repeated. Failures that retrying may fix reschedule the job with exponential backoff
// (TICKET_RETRY_BASE_SECONDS, doubling, capped) until TICKET_RETRY_MAX_ATTEMPTS; others fail the request.
// When a request settles, its outcome is written to the sync history (a SyncRun of kind ticket_request
// with one event per attempt). A periodic sweep re-enqueues requests whose job was lost (a crash
// between the commit and the enqueue, a queue outage).
import { z } from "zod";
import { serviceNowClientFor } from "@/lib/connections/client";
import { db } from "@/lib/db";
import { pushGovernance } from "@/lib/governance/push";
import { type Prisma, type TicketRequest } from "@/lib/generated/prisma/client";
import { defineJob, definePeriodic } from "@/lib/jobs/define";
import { enqueue } from "@/lib/jobs/enqueue";
import { logger } from "@/lib/log";
import { type TCreateTicketType, type TTicketFields, ticketTypeLabel } from "@/lib/schemas/tickets";
import { classifyGroups } from "./classify";
import { conflictError } from "./conflicts";
import { loadUsableConnection } from "./create";
import { createOne } from "./create-one";
import { listAffectedCis, lookupTicketCis } from "./ticket-cis";
import { assertTicketable, loadFindings } from "./findings";
import { explainRefusal } from "./refusal";
import { resolveReferences } from "./references";
import { actorOfRequest, recordFailedAttempt, type TicketRequestOptions } from "./requests";

export const TICKET_REQUEST_JOB = "ticket-request";

export const ticketRequestJob = defineJob<{ requestId: string }>({
  name: TICKET_REQUEST_JOB,
  payload: z.object({ requestId: z.string().uuid() }),
  // One queued job per request; the running one may queue its successor.
  policy: "short",
  // The handler records every failure itself; pg-boss retries only a worker that died mid-attempt.
  retryLimit: 2,
  retryDelaySeconds: 30,
  expireInSeconds: 15 * 60,
  handler: async ({ requestId }) => {
    await attemptTicketRequest(requestId);
  },
});

/** Queues the next attempt of each pending request at its `nextAttemptAt`. A failure here is logged: the sweep re-enqueues. */
export async function scheduleTicketRequests(requests: Array<Pick<TicketRequest, "id" | "nextAttemptAt">>): Promise<void> {
  for (const r of requests) {
    const startAfterSeconds = Math.max(0, Math.ceil(((r.nextAttemptAt?.getTime() ?? Date.now()) - Date.now()) / 1000));
    try {
      await enqueue(ticketRequestJob, { requestId: r.id }, { singletonKey: r.id, ...(startAfterSeconds > 0 ? { startAfterSeconds } : {}) });
    } catch (error) {
      logger().warn({ err: error, ticketRequestId: r.id }, "could not queue the ticket request's next attempt; the periodic sweep will");
    }
  }
}

export type AttemptOutcome = { status: "created" | "pending" | "failed" | "skipped"; request: TicketRequest | null };

/**
 * One attempt at a pending request (the job's handler; tests call it directly). Never throws for a
 * ServiceNow or validation failure: those are recorded on the request.
 */
export async function attemptTicketRequest(requestId: string): Promise<AttemptOutcome> {
  const request = await db().ticketRequest.findUnique({ where: { id: requestId } });
  if (!request || request.status !== "pending") return { status: "skipped", request };
  // Requests are only written for the types POST /api/tickets creates (incident, problem, change request).
  const type = request.table as TCreateTicketType;
  const options = request.options as TicketRequestOptions;
  let governanceIds: string[] = [];
  try {
    const connection = await loadUsableConnection(request.connectionId);
    const findings = await loadFindings(request.findingIds);
    // Ticketed meanwhile (another attempt, a repeat of the request, a person linking a ticket)?
    const classified = await classifyGroups(connection, type, [findings]);
    if (classified.conflicts.length > 0) throw conflictError(classified.conflicts);
    if (classified.repeats.length > 0) {
      const ticket = classified.repeats[0]!.ticket;
      await db().ticketRequest.updateMany({
        where: { id: request.id, status: "pending" },
        data: { status: "created", ticketId: ticket.id, nextAttemptAt: null, finishedAt: new Date(), attempts: { increment: 1 } },
      });
    } else {
      assertTicketable(findings);
      const client = await serviceNowClientFor(connection);
      const refs = await resolveReferences(client, connection, type, options);
      const actor = await actorOfRequest(request);
      const cis = await lookupTicketCis(client, [findings]);
      const result = await createOne(
        {
          actor,
          connection,
          client,
          type,
          refs,
          workNotes: options.workNotes,
          requestId: request.requestId ?? undefined,
          ruleId: request.ruleId ?? undefined,
          governanceOwner: options.governanceOwner,
          ticketRequestId: request.id,
          cis,
          standardTemplateId: options.standardTemplateId,
          instanceValuesFor: () => options.instanceValues ?? {},
        },
        findings,
        request.fields as unknown as TTicketFields,
      );
      governanceIds = result.governanceIds;
      if (cis) await listAffectedCis(client, cis, [result]);
    }
  } catch (error) {
    const settled = await recordFailedAttempt(request, explainRefusal(error, type));
    if (settled.status === "pending") await scheduleTicketRequests([settled.request]);
    else await recordInHistory(settled.request);
    return settled;
  }
  await pushGovernance(governanceIds);
  const done = await db().ticketRequest.findUniqueOrThrow({ where: { id: request.id } });
  await recordInHistory(done);
  return { status: done.status === "created" ? "created" : done.status, request: done };
}

type AttemptLogEntry = { at: string; code: string; message: string };

/** The settled request in the sync history: a finished SyncRun (kind ticket_request) with its attempts as events. Once per request. */
export async function recordInHistory(request: TicketRequest): Promise<void> {
  if (request.status === "pending" || request.runId) return;
  const ticket = request.ticketId ? await db().ticket.findUnique({ where: { id: request.ticketId }, select: { id: true, number: true, table: true } }) : null;
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
          after: { number: ticket.number, table: ticket.table, ticketRequestId: request.id, attempts: request.attempts, findingIds: request.findingIds } as Prisma.InputJsonValue,
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
    const unrecorded = await tx.$queryRaw<unknown[]>`SELECT 1 FROM "TicketRequest" WHERE "id" = ${request.id}::uuid AND "runId" IS NULL FOR UPDATE`;
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
        counts: { attempts: request.attempts, created: isCreated ? 1 : 0, errors: events.filter((e) => e.action === "error").length } as Prisma.InputJsonValue,
        error: isCreated ? null : request.error,
        events: { createMany: { data: events } },
      },
    });
    await tx.ticketRequest.update({ where: { id: request.id }, data: { runId: run.id } });
  });
}

/** Pending requests whose next attempt is overdue by a minute (their job was lost) are queued again. */
export const ticketRequestSweep = definePeriodic({
  name: "ticket-request-sweep",
  intervalMs: 30_000,
  run: async () => {
    const due = await db().ticketRequest.findMany({
      where: { status: "pending", OR: [{ nextAttemptAt: null, createdAt: { lt: new Date(Date.now() - 5 * 60_000) } }, { nextAttemptAt: { lt: new Date(Date.now() - 60_000) } }] },
      select: { id: true, nextAttemptAt: true },
      take: 200,
      orderBy: { nextAttemptAt: "asc" },
    });
    await scheduleTicketRequests(due.map((d) => ({ id: d.id, nextAttemptAt: null })));
  },
});
