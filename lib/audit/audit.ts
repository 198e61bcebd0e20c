import "server-only";
import { type Prisma } from "@/lib/generated/prisma/client";
import { db, type DbTransaction } from "@/lib/db";
import { type Caller } from "@/lib/auth/authorize";

// Append-only audit trail: who did what to which ticket, rule, connection or token, with before/after.
// The table rejects UPDATE and DELETE (trigger in the migration).

export type AuditEntry = {
  actor: Caller;
  action: string;
  targetType?: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  requestId?: string;
  ip?: string | null;
};

type Tx = Pick<Prisma.TransactionClient, "auditLog">;

function json(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v))) as Prisma.InputJsonValue;
}

// trigger: AuditLog is append-only in the database ("AuditLog_append_only", prisma/migrations/…_init): an
// UPDATE or DELETE fails, so nothing here (or anywhere) edits an entry once written.
export async function audit(entry: AuditEntry, tx: Tx = db()): Promise<void> {
  await tx.auditLog.create({
    data: {
      actorType: entry.actor.type,
      actorId: entry.actor.id,
      actorName: entry.actor.name,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      before: json(entry.before),
      after: json(entry.after),
      requestId: entry.requestId,
      ip: entry.ip ?? null,
    },
  });
}

/**
 * Runs `write` in a transaction and records its audit entry (made from what `write` returned) in the same
 * one, so a change and its trail commit together.
 */
export async function withAudit<T>(write: (tx: DbTransaction) => PromiseLike<T>, entryOf: (row: T) => AuditEntry): Promise<T> {
  return db().$transaction(async (tx) => {
    const row = await write(tx);
    await audit(entryOf(row), tx);
    return row;
  });
}

export const SYSTEM_ACTOR: Caller = { type: "system", id: null, name: "PostureDesk" };
