import "server-only";

// Priorities are unique per connection (unique index on AutomationRule(connectionId, priority)). Every
// change to a connection's rules runs in one transaction holding a lock on "the rules of this
// connection", so two admins saving at once are serialised instead of racing on the index.
//
// Live rules use 1…MAX_PRIORITY. A deleted rule keeps its row (history, audit, Ticket.ruleId) but gives
// its number back: it is parked at the next free number below zero, which no live rule can use.
import { AppError } from "@/lib/http/errors";
import { MAX_PRIORITY, PRIORITY_STEP } from "@/lib/schemas/rules";
import { type Tx } from "./priorities-sql";
export { lockConnectionRules } from "./priorities-sql";

/** After the connection's last live rule. */
export async function nextPriority(tx: Tx, connectionId: string): Promise<number> {
  const last = await tx.automationRule.aggregate({ where: { connectionId, deletedAt: null }, _max: { priority: true } });
  const next = (last._max.priority ?? 0) + PRIORITY_STEP;
  if (next <= MAX_PRIORITY) return next;
  // Numbers ran out at the end: take the highest free one instead.
  const used = new Set(
    (await tx.automationRule.findMany({ where: { connectionId, deletedAt: null }, select: { priority: true } })).map((r) => r.priority),
  );
  for (let p = MAX_PRIORITY; p >= 1; p--) if (!used.has(p)) return p;
  throw new AppError("CONFLICT", { message: "This connection has no free rule priority left" });
}

/** Fails with 409 naming the rule that already holds `priority` on the connection. */
export async function assertPriorityFree(tx: Tx, connectionId: string, priority: number, exceptRuleId?: string): Promise<void> {
  const holder = await tx.automationRule.findFirst({
    where: { connectionId, priority, deletedAt: null, ...(exceptRuleId ? { id: { not: exceptRuleId } } : {}) },
    select: { id: true, name: true },
  });
  if (holder) {
    throw new AppError("CONFLICT", {
      message: `Priority ${priority} is already used by the rule "${holder.name}" on this connection; choose another number or reorder the rules`,
      details: { errors: [{ path: "body.priority", message: `already used by "${holder.name}"` }], ruleId: holder.id },
    });
  }
}

/** The number a deleted rule is parked at: one below the lowest number in use (≤ 0). */
export async function parkedPriority(tx: Tx, connectionId: string): Promise<number> {
  const lowest = await tx.automationRule.aggregate({ where: { connectionId }, _min: { priority: true } });
  return Math.min(0, lowest._min.priority ?? 0) - 1;
}

/** Fails with 409 when another live rule of the connection has this name (case-insensitive). */
export async function assertNameFree(tx: Tx, connectionId: string, name: string, exceptRuleId?: string): Promise<void> {
  const clash = await tx.automationRule.findFirst({
    where: {
      connectionId,
      deletedAt: null,
      name: { equals: name, mode: "insensitive" },
      ...(exceptRuleId ? { id: { not: exceptRuleId } } : {}),
    },
    select: { id: true },
  });
  if (clash) {
    throw new AppError("CONFLICT", {
      message: `A rule named "${name}" already exists on this connection`,
      details: { errors: [{ path: "body.name", message: "already used on this connection" }] },
    });
  }
}
