import "server-only";

// Ticket requests: the persisted intent behind each ticket a person or a rule asks for. Written before
// ServiceNow is called, so a creation that ServiceNow does not confirm (5xx, timeout, dropped answer,
// throttling) is never lost: the request stays `pending` and the `ticket-request` job tries it again
// (lib/tickets/request-job.ts) — each attempt takes the exactly-once path of create-one.ts, which looks
// the correlation id up in ServiceNow before it ever creates. A request ends `created` (in the same
// transaction that writes the ticket) or `failed` (a refusal retrying cannot fix, or the attempts ran out).

import { actorRef, type Caller } from "@/lib/auth/authorize";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { type Prisma, type TicketRequest } from "@/lib/generated/prisma/client";
import { AppError, isAppError } from "@/lib/http/errors";
import { logger } from "@/lib/log";
import { type TCreateTicketType, type TTicketFields } from "@/lib/schemas/tickets";
import { type TTicketRequestDto } from "@/lib/schemas/ticket-requests";
import { backoffDelay } from "@/lib/servicenow/transport";
import { correlationBase, correlationId as correlationIdOf, generationOf } from "./correlation";
import { type TicketFinding } from "./findings";

/** What each attempt sends besides the fields: references as the requester gave them (resolved per attempt). */
export type TicketRequestOptions = {
  assignmentGroup?: string | null;
  assignedTo?: string | null;
  callerId?: string | null;
  workNotes?: string;
  governanceOwner?: string;
  /** Standard changes: the template the analyst picked. */
  standardTemplateId?: string;
  /** The instance's own fields of this group (field defaults rendered + values given), validated when requested. */
  instanceValues?: Record<string, string>;
};

export type PersistInput = {
  actor: Caller;
  connection: { id: string; correlationPrefix: string };
  type: TCreateTicketType;
  options: TicketRequestOptions;
  ruleId?: string;
  requestId?: string;
};

/** The correlation id the next ticket for these findings gets (checked again under the lock in createOne). */
async function expectedCorrelationId(connectionId: string, base: string): Promise<string> {
  const earlier = await db().ticket.findMany({
    where: { connectionId, correlationId: { startsWith: `${base}:g` } },
    select: { correlationId: true },
  });
  return correlationIdOf(base, 1 + earlier.reduce((max, t) => Math.max(max, generationOf(t.correlationId, base) ?? 0), 0));
}

/**
 * One pending TicketRequest per group, before any ServiceNow call. A group that already has a pending
 * request for the same correlation id (a double click, a rule re-planning findings whose ticket is still
 * pending) reuses it rather than adding a second.
 */
export async function persistTicketRequests(
  input: PersistInput,
  groups: Array<{ findings: TicketFinding[]; fields: TTicketFields; instanceValues?: Record<string, string> }>,
): Promise<TicketRequest[]> {
  const by = actorRef(input.actor);
  const out: TicketRequest[] = [];
  for (const group of groups) {
    const base = correlationBase(
      input.connection.correlationPrefix,
      input.type,
      group.findings.map((f) => f.armId),
    );
    const correlationId = await expectedCorrelationId(input.connection.id, base);
    const existing = await db().ticketRequest.findFirst({
      where: { connectionId: input.connection.id, correlationId, status: "pending" },
      orderBy: { createdAt: "asc" },
    });
    out.push(
      existing ??
        (await db().ticketRequest.create({
          data: {
            connectionId: input.connection.id,
            table: input.type,
            findingIds: group.findings.map((f) => f.id),
            correlationId,
            fields: group.fields as unknown as Prisma.InputJsonValue,
            options: {
              ...input.options,
              ...(group.instanceValues && Object.keys(group.instanceValues).length ? { instanceValues: group.instanceValues } : {}),
            } as Prisma.InputJsonValue,
            requestedByType: by.type,
            requestedById: by.id,
            ruleId: input.ruleId ?? null,
            requestId: input.requestId ?? null,
          },
        })),
    );
  }
  return out;
}

/** Whether another attempt may succeed: throttling, outages, timeouts and answers that never came. */
export function isWorthRetrying(error: unknown): boolean {
  if (!isAppError(error)) return true; // an unexpected failure (database hiccup): bounded by the attempts
  return error.isRetryable || error.code === "UPSTREAM_UNCERTAIN";
}

export function retryDelaySeconds(attempts: number, retryAfterSeconds?: number, random = Math.random): number {
  const e = env();
  const backoff = Math.round(
    backoffDelay(attempts - 1, e.TICKET_RETRY_BASE_SECONDS * 2000, e.TICKET_RETRY_MAX_DELAY_SECONDS * 1000, random) / 1000,
  );
  return Math.max(1, backoff, Math.min(retryAfterSeconds ?? 0, e.TICKET_RETRY_MAX_DELAY_SECONDS));
}

export type Settled = { status: "pending" | "failed"; request: TicketRequest };

/**
 * Records a failed attempt: `pending` with the next attempt's time when retrying may help and attempts
 * are left, else `failed` with the reason. Only the caller that read `attempts` wins (no double count
 * when two workers race; the loser's outcome is whatever the winner wrote).
 */
export async function recordFailedAttempt(request: TicketRequest, error: unknown): Promise<Settled> {
  const attempts = request.attempts + 1;
  const code = isAppError(error) ? error.code : "INTERNAL";
  const message = isAppError(error) ? error.userMessage : "Internal error";
  if (!isAppError(error)) logger().error({ err: error, ticketRequestId: request.id }, "ticket request attempt failed unexpectedly");
  const log = [...(Array.isArray(request.attemptLog) ? request.attemptLog : []), { at: new Date().toISOString(), code, message }];
  const isRetry = isWorthRetrying(error) && attempts < env().TICKET_RETRY_MAX_ATTEMPTS;
  const retryAfter = isAppError(error) ? error.retryAfterSeconds : undefined;
  const nextAttemptAt = isRetry ? new Date(Date.now() + retryDelaySeconds(attempts, retryAfter) * 1000) : null;
  const finalMessage = isRetry || !isWorthRetrying(error) ? message : `${message} (gave up after ${attempts} attempts)`;
  const updated = await db().ticketRequest.updateMany({
    where: { id: request.id, status: "pending", attempts: request.attempts },
    data: {
      attempts,
      status: isRetry ? "pending" : "failed",
      nextAttemptAt,
      errorCode: code,
      error: finalMessage,
      attemptLog: log as Prisma.InputJsonValue,
      ...(isRetry ? {} : { finishedAt: new Date() }),
    },
  });
  const now = await db().ticketRequest.findUniqueOrThrow({ where: { id: request.id } });
  if (updated.count === 0) return { status: now.status === "failed" ? "failed" : "pending", request: now };
  return { status: isRetry ? "pending" : "failed", request: now };
}

/** Inside createOne's transaction: the request is created together with its ticket. */
export async function markCreated(tx: Prisma.TransactionClient, requestId: string, ticketId: string, correlationId: string): Promise<void> {
  await tx.ticketRequest.updateMany({
    where: { id: requestId, status: { not: "created" } },
    data: { status: "created", ticketId, correlationId, nextAttemptAt: null, finishedAt: new Date(), attempts: { increment: 1 } },
  });
}

/** Who a retried ticket is created by: the person, token or rule that asked for it. */
export async function actorOfRequest(r: Pick<TicketRequest, "requestedByType" | "requestedById">): Promise<Caller> {
  const id = r.requestedById;
  if (r.requestedByType === "user" && id) {
    const user = await db().user.findUnique({ where: { id }, select: { name: true, email: true } });
    return { type: "user", id, name: user?.name ?? "Unknown user", email: user?.email ?? null, role: null };
  }
  if (r.requestedByType === "token" && id) {
    const token = await db().apiToken.findUnique({ where: { id }, select: { name: true } });
    return { type: "token", id, name: token?.name ?? "API token", email: null, role: null };
  }
  if (r.requestedByType === "rule") {
    const rule = id ? await db().automationRule.findUnique({ where: { id }, select: { name: true } }) : null;
    return { type: "rule", id, name: `Rule "${rule?.name ?? "?"}"` };
  }
  return { type: "system", id, name: "PostureDesk" };
}

export function toTicketRequestDto(
  r: TicketRequest,
  ticket: { id: string; number: string; url: string; state: string } | null,
): TTicketRequestDto {
  return {
    id: r.id,
    status: r.status,
    type: r.table,
    findingIds: r.findingIds,
    attempts: r.attempts,
    ...(r.status === "pending" && r.nextAttemptAt ? { nextAttemptAt: r.nextAttemptAt.toISOString() } : {}),
    ...(ticket ? { ticket: { id: ticket.id, number: ticket.number, url: ticket.url, state: ticket.state as "open" } } : {}),
    ...(r.error && r.status !== "created" ? { error: { code: r.errorCode ?? "INTERNAL", message: r.error } } : {}),
    createdAt: r.createdAt.toISOString(),
  };
}

export async function getTicketRequest(actor: Caller, id: string): Promise<TTicketRequestDto> {
  void actor; // role checked by the route (manager and above read ticket requests, as they read tickets)
  const request = await db().ticketRequest.findUnique({ where: { id } });
  if (!request) throw new AppError("NOT_FOUND", { message: "No such ticket request" });
  const ticket = request.ticketId
    ? await db().ticket.findUnique({ where: { id: request.ticketId }, select: { id: true, number: true, url: true, state: true } })
    : null;
  return toTicketRequestDto(request, ticket);
}
