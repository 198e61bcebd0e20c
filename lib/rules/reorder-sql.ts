import "server-only";

// Reordering a connection's rules in one step: the admin sends every live rule of the connection,
// highest priority first; the rules keep the set of numbers they had, handed out in the new order.
// Atomic: one transaction, two phases — every rule first moves to a number far above any live one, then
// to its final number — because a single UPDATE that swaps two numbers trips the unique index halfway.
import { audit } from "@/lib/audit/audit";
import { assertRole, type Caller } from "@/lib/auth/authorize";
import { db } from "@/lib/db";
import { AppError } from "@/lib/http/errors";
import { MAX_PRIORITY, type TReorderRules, type TRuleDto } from "@/lib/schemas/rules";
import { lockConnectionRules } from "./priorities";
import { loadRuleConnection, RULE_INCLUDE, toRuleDtos } from "./read";

type Meta = { requestId?: string };

/** Above every live priority (≤ MAX_PRIORITY) and far below the int4 limit. */
const SHIFT = 1_000_000_000;

export async function reorderRules(actor: Caller, input: TReorderRules, meta: Meta = {}): Promise<TRuleDto[]> {
  assertRole(actor, "admin", "Managing automation rules");
  const connection = await loadRuleConnection(input.connectionId);

  const rows = await db().$transaction(async (tx) => {
    await lockConnectionRules(tx, [connection.id]);
    const live = await tx.automationRule.findMany({
      where: { connectionId: connection.id, deletedAt: null },
      orderBy: { priority: "asc" },
      select: { id: true, name: true, priority: true },
    });
    const liveIds = new Set(live.map((r) => r.id));
    const unknown = input.ruleIds.filter((id) => !liveIds.has(id));
    if (unknown.length) {
      throw new AppError("VALIDATION", {
        message: `${unknown.length === 1 ? "A rule is" : `${unknown.length} rules are`} not a live rule of this connection`,
        details: { errors: unknown.map((id) => ({ path: "body.ruleIds", message: `${id}: not a live rule of this connection` })) },
      });
    }
    const given = new Set(input.ruleIds);
    const missing = live.filter((r) => !given.has(r.id));
    if (missing.length) {
      throw new AppError("CONFLICT", {
        message: `The rules of this connection changed since they were loaded (${missing.map((r) => `"${r.name}"`).join(", ")} not in the new order); reload and try again`,
        details: { missing: missing.map((r) => r.id) },
      });
    }
    const numbers = live.map((r) => r.priority); // ascending: the first id gets the lowest number
    const target = new Map(input.ruleIds.map((id, i) => [id, numbers[i]!]));
    const isChanged = live.some((r) => target.get(r.id) !== r.priority);
    if (isChanged) {
      if (numbers.some((n) => n > MAX_PRIORITY))
        throw new AppError("CONFLICT", { message: "A rule of this connection has a priority out of range; fix it before reordering" });
      await tx.$executeRaw`UPDATE "AutomationRule" SET "priority" = "priority" + ${SHIFT}, "updatedAt" = now() WHERE "connectionId" = ${connection.id}::uuid AND "deletedAt" IS NULL`;
      await tx.$executeRaw`
        UPDATE "AutomationRule" r SET "priority" = n.priority
        FROM unnest(${input.ruleIds}::uuid[], ${input.ruleIds.map((id) => target.get(id)!)}::int[]) AS n(id, priority)
        WHERE r."id" = n.id`;
      await audit(
        {
          actor,
          action: "rule.reorder",
          targetType: "servicenow_connection",
          targetId: connection.id,
          before: live.map((r) => ({ id: r.id, name: r.name, priority: r.priority })),
          after: input.ruleIds.map((id) => ({ id, name: live.find((r) => r.id === id)!.name, priority: target.get(id)! })),
          requestId: meta.requestId,
        },
        tx,
      );
    }
    return tx.automationRule.findMany({
      where: { connectionId: connection.id, deletedAt: null },
      orderBy: { priority: "asc" },
      include: RULE_INCLUDE,
    });
  });
  return toRuleDtos(rows);
}
