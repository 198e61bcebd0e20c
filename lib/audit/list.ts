import "server-only";
import { type Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { type Actor } from "@/lib/auth/actor";
import { assertRole } from "@/lib/auth/authorize";
import { type TAuditDto, type TAuditQuery } from "@/lib/schemas/audit";
import { type TPage } from "@/lib/schemas/common";

export async function listAudit(actor: Actor, q: TAuditQuery): Promise<TPage<TAuditDto>> {
  assertRole(actor, "admin", "Reading the audit log");
  const where: Prisma.AuditLogWhereInput = {
    ...(q.action ? (q.action.endsWith(".") ? { action: { startsWith: q.action } } : { action: q.action }) : {}),
    ...(q.actor ? { OR: [{ actorName: { contains: q.actor, mode: "insensitive" } }, { actorId: q.actor }] } : {}),
    ...(q.targetType ? { targetType: q.targetType } : {}),
    ...(q.targetId ? { targetId: q.targetId } : {}),
    ...(q.from || q.to ? { at: { ...(q.from ? { gte: new Date(q.from) } : {}), ...(q.to ? { lte: new Date(q.to) } : {}) } } : {}),
  };
  const [rows, total] = await Promise.all([
    db().auditLog.findMany({ where, orderBy: { id: "desc" }, skip: (q.page - 1) * q.pageSize, take: q.pageSize }),
    db().auditLog.count({ where }),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id.toString(),
      at: r.at.toISOString(),
      actorType: r.actorType,
      actorId: r.actorId,
      actorName: r.actorName,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      before: r.before,
      after: r.after,
      ip: r.ip,
      requestId: r.requestId,
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}
