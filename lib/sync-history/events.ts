import "server-only";

// A run's events, oldest first (the order things happened), with the ticket and finding each one
// names resolved for links. Paged for the page, streamed for the CSV export (./export.ts).

import { assertRole, type Caller } from "@/lib/auth/authorize";
import { db } from "@/lib/db";
import { type Prisma, type SyncEvent } from "@/lib/generated/prisma/client";
import { type TPage } from "@/lib/schemas/common";
import { type TSyncEventDto, type TSyncEventsExportQuery, type TSyncEventsQuery } from "@/lib/schemas/sync-runs";
import { loadRun } from "./runs";

export function eventWhere(runId: string, q: TSyncEventsExportQuery): Prisma.SyncEventWhereInput {
  return {
    runId,
    ...(q.action.length ? { action: { in: q.action } } : {}),
    ...(q.entityType ? { entityType: q.entityType } : {}),
    ...(q.ticketId ? { ticketId: q.ticketId } : {}),
    ...(q.findingId ? { findingId: q.findingId } : {}),
    ...(q.q ? { OR: [{ message: { contains: q.q, mode: "insensitive" } }, { entityId: { contains: q.q, mode: "insensitive" } }] } : {}),
  };
}

/** Events with their ticket and finding (two batched lookups per page, whatever its size). */
export async function withReferences(events: SyncEvent[]): Promise<TSyncEventDto[]> {
  const ticketIds = [...new Set(events.map((e) => e.ticketId).filter((id): id is string => id !== null))];
  const findingIds = [...new Set(events.map((e) => e.findingId).filter((id): id is string => id !== null))];
  const [tickets, findings] = await Promise.all([
    ticketIds.length
      ? db().ticket.findMany({ where: { id: { in: ticketIds } }, select: { id: true, number: true, url: true } })
      : Promise.resolve([]),
    findingIds.length
      ? db().finding.findMany({
          where: { id: { in: findingIds } },
          select: { id: true, resourceName: true, recommendationKey: true, recommendation: { select: { displayName: true } } },
        })
      : Promise.resolve([]),
  ]);
  const ticketById = new Map(tickets.map((t) => [t.id, t]));
  const findingById = new Map(findings.map((f) => [f.id, f]));
  return events.map((e) => {
    const finding = e.findingId ? findingById.get(e.findingId) : undefined;
    return {
      id: e.id.toString(),
      at: e.at.toISOString(),
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      message: e.message,
      before: e.before,
      after: e.after,
      isRetryable: e.isRetryable,
      ticket: (e.ticketId && ticketById.get(e.ticketId)) || null,
      finding: finding
        ? {
            id: finding.id,
            resourceName: finding.resourceName,
            recommendationKey: finding.recommendationKey,
            recommendationName: finding.recommendation?.displayName ?? null,
          }
        : null,
    };
  });
}

export async function listSyncEvents(actor: Caller, runId: string, q: TSyncEventsQuery): Promise<TPage<TSyncEventDto>> {
  assertRole(actor, "manager", "Reading the sync history");
  await loadRun(runId);
  const where = eventWhere(runId, q);
  const [rows, total] = await Promise.all([
    db().syncEvent.findMany({ where, orderBy: { id: "asc" }, skip: (q.page - 1) * q.pageSize, take: q.pageSize }),
    db().syncEvent.count({ where }),
  ]);
  return { items: await withReferences(rows), total, page: q.page, pageSize: q.pageSize };
}
