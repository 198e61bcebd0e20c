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
import { type TicketRequest } from "@/lib/generated/prisma/client";
import { defineJob, definePeriodic } from "@/lib/jobs/define";
import { enqueue } from "@/lib/jobs/enqueue";
import { logger } from "@/lib/log";
import { type TCreateTicketType, type TTicketFields } from "@/lib/schemas/tickets";
import { classifyGroups } from "./classify";
import { conflictError } from "./conflicts";
import { loadUsableConnection } from "./create";
import { createOne } from "./create-one";
import { listAffectedCis, lookupTicketCis } from "./ticket-cis";
import { assertTicketable, loadFindings } from "./findings";
import { explainRefusal } from "./refusal";
import { resolveReferences } from "./references";
import { actorOfRequest, recordFailedAttempt, type TicketRequestOptions } from "./requests";
import { recordInHistory } from "./request-job-sql";
export { recordInHistory } from "./request-job-sql";

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

/** Pending requests whose next attempt is overdue by a minute (their job was lost) are queued again. */
export const ticketRequestSweep = definePeriodic({
  name: "ticket-request-sweep",
  intervalMs: 30_000,
  run: async () => {
    const due = await db().ticketRequest.findMany({
      where: {
        status: "pending",
        OR: [
          { nextAttemptAt: null, createdAt: { lt: new Date(Date.now() - 5 * 60_000) } },
          { nextAttemptAt: { lt: new Date(Date.now() - 60_000) } },
        ],
      },
      select: { id: true, nextAttemptAt: true },
      take: 200,
      orderBy: { nextAttemptAt: "asc" },
    });
    await scheduleTicketRequests(due.map((d) => ({ id: d.id, nextAttemptAt: null })));
  },
});
