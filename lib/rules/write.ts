import "server-only";

// Creating, changing, enabling/disabling and deleting rules (admins). Each change runs in one
// transaction under the connection's rule lock (./priorities.ts) and writes its audit entry in the same
// transaction: rule.create, rule.update, rule.enable, rule.disable, rule.delete, with before/after.
import { audit } from "@/lib/audit/audit";
import { assertRole, type Caller } from "@/lib/auth/authorize";
import { db, type ServiceNowConnectionRow } from "@/lib/db";
import { AppError } from "@/lib/http/errors";
import { type TCreateRule, type TRuleDto, type TUpdateRule, ZMergedRuleAction } from "@/lib/schemas/rules";
import { actionColumns, actionOf, auditView, conditionsOf, type RuleRow } from "./dto";
import { assertNameFree, assertPriorityFree, lockConnectionRules, nextPriority, parkedPriority } from "./priorities";
import { loadLiveRule, loadRuleConnection, RULE_INCLUDE, toRuleDtos } from "./read";
import { assertKnownSubscriptions } from "./subscriptions";

type Meta = { requestId?: string };

/** An enabled rule must be able to create tickets. */
function assertCanEnable(connection: ServiceNowConnectionRow): void {
  if (!connection.itsmEnabled) {
    throw new AppError("CONFLICT", {
      message: `The ITSM module is disabled on the connection "${connection.name}"; enable it before enabling rules`,
    });
  }
}

export async function createRule(actor: Caller, input: TCreateRule, meta: Meta = {}): Promise<TRuleDto> {
  assertRole(actor, "admin", "Managing automation rules");
  const connection = await loadRuleConnection(input.connectionId);
  if (input.enabled) assertCanEnable(connection);
  await assertKnownSubscriptions(input.conditions.subscriptionIds);
  const row = await db().$transaction(async (tx) => {
    await lockConnectionRules(tx, [connection.id]);
    await assertNameFree(tx, connection.id, input.name);
    const priority = input.priority ?? (await nextPriority(tx, connection.id));
    await assertPriorityFree(tx, connection.id, priority);
    const created = await tx.automationRule.create({
      data: {
        name: input.name,
        description: input.description,
        enabled: input.enabled,
        priority,
        connectionId: connection.id,
        conditions: input.conditions,
        ...actionColumns(input.action),
        createdById: actor.id,
      },
      include: RULE_INCLUDE,
    });
    await audit(
      { actor, action: "rule.create", targetType: "rule", targetId: created.id, after: auditView(created), requestId: meta.requestId },
      tx,
    );
    return created;
  });
  const [dto] = await toRuleDtos([row]);
  return dto!;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** rule.enable / rule.disable when only the switch moved, else rule.update. */
function auditActionOf(before: ReturnType<typeof auditView>, after: ReturnType<typeof auditView>): string | null {
  const { enabled: wasEnabled, ...restBefore } = before;
  const { enabled: isEnabled, ...restAfter } = after;
  const isOtherChange = !sameJson(restBefore, restAfter);
  if (isOtherChange) return "rule.update";
  if (wasEnabled !== isEnabled) return isEnabled ? "rule.enable" : "rule.disable";
  return null;
}

export async function updateRule(actor: Caller, id: string, input: TUpdateRule, meta: Meta = {}): Promise<TRuleDto> {
  assertRole(actor, "admin", "Managing automation rules");
  const current = await loadLiveRule(id);
  if (current.connection.deletedAt)
    throw new AppError("CONFLICT", {
      message: `The ServiceNow connection "${current.connection.name}" is archived; its rules cannot change`,
    });

  const merged = ZMergedRuleAction.safeParse({ ...actionOf(current), ...input.action });
  if (!merged.success) {
    const errors = merged.error.issues.map((i) => ({ path: ["body", "action", ...i.path.map(String)].join("."), message: i.message }));
    throw new AppError("VALIDATION", {
      message: `Invalid body: ${errors.map((e) => `${e.path} ${e.message}`).join("; ")}`,
      details: { errors },
    });
  }
  if (input.conditions)
    await assertKnownSubscriptions(input.conditions.subscriptionIds, conditionsOf(current.conditions).conditions.subscriptionIds);
  const targetConnectionId = input.connectionId ?? current.connectionId;
  const isMoving = targetConnectionId !== current.connectionId;
  const connection = await loadRuleConnection(targetConnectionId);
  const isEnabled = input.enabled ?? current.enabled;
  if (isEnabled) {
    assertCanEnable(connection);
    if (!input.conditions && !conditionsOf(current.conditions).isValid) {
      throw new AppError("CONFLICT", { message: "This rule's stored conditions cannot be read; save new conditions before enabling it" });
    }
  }

  const row = await db().$transaction(async (tx) => {
    await lockConnectionRules(tx, [current.connectionId, targetConnectionId]);
    // Read again under the lock: another admin may have changed or deleted the rule meanwhile.
    const fresh = await tx.automationRule.findUnique({ where: { id } });
    if (!fresh || fresh.deletedAt) throw new AppError("NOT_FOUND", { message: "No such automation rule" });
    const name = input.name ?? fresh.name;
    if (input.name !== undefined || isMoving) await assertNameFree(tx, targetConnectionId, name, id);
    const priority = input.priority ?? (isMoving ? await nextPriority(tx, targetConnectionId) : fresh.priority);
    if (priority !== fresh.priority || isMoving) await assertPriorityFree(tx, targetConnectionId, priority, id);
    const updated = await tx.automationRule.update({
      where: { id },
      data: {
        name,
        description: input.description,
        enabled: isEnabled,
        priority,
        connectionId: targetConnectionId,
        conditions: input.conditions,
        ...actionColumns(merged.data),
      },
      include: RULE_INCLUDE,
    });
    const before = auditView(fresh);
    const after = auditView(updated);
    const action = auditActionOf(before, after);
    if (action) await audit({ actor, action, targetType: "rule", targetId: id, before, after, requestId: meta.requestId }, tx);
    return updated;
  });
  const [dto] = await toRuleDtos([row]);
  return dto!;
}

/**
 * Deletes a rule: it stops matching at once; its row stays (tickets keep naming the rule that created
 * them) with its priority parked below zero, so the number is free for a new rule. Deleting a deleted
 * rule again is a no-op.
 */
export async function deleteRule(actor: Caller, id: string, meta: Meta = {}): Promise<void> {
  assertRole(actor, "admin", "Managing automation rules");
  const existing = await db().automationRule.findUnique({ where: { id }, select: { connectionId: true, deletedAt: true } });
  if (!existing) throw new AppError("NOT_FOUND", { message: "No such automation rule" });
  if (existing.deletedAt) return;
  await db().$transaction(async (tx) => {
    await lockConnectionRules(tx, [existing.connectionId]);
    const fresh: RuleRow | null = await tx.automationRule.findUnique({ where: { id }, include: RULE_INCLUDE });
    if (!fresh || fresh.deletedAt) return;
    const deleted = await tx.automationRule.update({
      where: { id },
      data: { deletedAt: new Date(), enabled: false, priority: await parkedPriority(tx, fresh.connectionId) },
    });
    await audit(
      {
        actor,
        action: "rule.delete",
        targetType: "rule",
        targetId: id,
        before: auditView(fresh),
        after: auditView(deleted),
        requestId: meta.requestId,
      },
      tx,
    );
  });
}
