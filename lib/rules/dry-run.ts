import "server-only";

// Dry run: the tickets a rule would create now, exactly as a sync would create them (the same planner,
// ./plan.ts), without creating anything. The rule is evaluated as if enabled, behind the enabled rules
// of higher priority, which take their findings first; the summary says how many findings the
// conditions match, how many already have a ticket and which rules take the others.

import { assertRole, type Caller } from "@/lib/auth/authorize";
import { db, type ServiceNowConnectionRow } from "@/lib/db";
import { AppError } from "@/lib/http/errors";
import { PRIORITY_STEP, type TDryRunDraft, type TDryRunQuery, type TDryRunResult } from "@/lib/schemas/rules";
import { conditionsOf } from "./dto";
import { isPlannable, loadPlanContext, matchRulesOf, planFromContext, type PlanContext, type PlanRule } from "./plan";
import { selectMatchStats } from "./plan-sql";
import { loadLiveRule } from "./read";

/** Id of a rule that does not exist yet (a draft dry-run from the "new rule" form). */
export const NEW_RULE_ID = "00000000-0000-4000-8000-000000000000";

function assertPlannable(connection: ServiceNowConnectionRow): void {
  if (connection.deletedAt) throw new AppError("CONFLICT", { message: `The ServiceNow connection "${connection.name}" is archived` });
  if (!isPlannable(connection))
    throw new AppError("CONFLICT", {
      message: `The ITSM module is disabled on the connection "${connection.name}"; rules cannot create tickets there`,
    });
}

async function run(
  context: PlanContext,
  rule: PlanRule & { enabled: boolean; isStored: boolean },
  query: TDryRunQuery,
): Promise<TDryRunResult> {
  const generatedAt = new Date();
  const [tickets, stats] = await Promise.all([
    planFromContext(context, { ruleIds: [rule.id], now: generatedAt }),
    selectMatchStats({ connectionId: context.connection.id, rules: matchRulesOf(context.rules), ruleId: rule.id }),
  ]);
  const byId = new Map(context.rules.map((r) => [r.id, r]));
  const start = (query.page - 1) * query.pageSize;
  return {
    rule: { id: rule.isStored ? rule.id : null, name: rule.name, priority: rule.priority, enabled: rule.enabled },
    connection: { id: context.connection.id, name: context.connection.name },
    summary: {
      tickets: tickets.length,
      findings: tickets.reduce((n, t) => n + t.findingCount, 0),
      matched: stats.matched,
      alreadyTicketed: stats.alreadyTicketed,
      takenByHigherPriority: stats.takenBy
        .map((t) => ({
          ruleId: t.ruleId,
          name: byId.get(t.ruleId)?.name ?? "?",
          priority: byId.get(t.ruleId)?.priority ?? 0,
          findings: t.findings,
        }))
        .sort((a, b) => a.priority - b.priority),
    },
    items: tickets.slice(start, start + query.pageSize),
    total: tickets.length,
    page: query.page,
    pageSize: query.pageSize,
    generatedAt: generatedAt.toISOString(),
  };
}

/** POST /api/rules/{id}/dry-run */
export async function dryRunRule(actor: Caller, id: string, query: TDryRunQuery): Promise<TDryRunResult> {
  assertRole(actor, "admin", "Dry-running automation rules");
  const stored = await loadLiveRule(id);
  if (!conditionsOf(stored.conditions).isValid)
    throw new AppError("CONFLICT", { message: "This rule's stored conditions cannot be read; save new conditions first" });
  const context = await loadPlanContext({ connectionId: stored.connectionId, treatAsEnabled: [id] });
  if (!context) throw new AppError("NOT_FOUND", { message: "No such ServiceNow connection" });
  assertPlannable(context.connection);
  const rule = context.rules.find((r) => r.id === id)!;
  return run(context, { ...rule, enabled: stored.enabled, isStored: true }, query);
}

/** POST /api/rules/dry-run — a rule as typed in the form, before it is saved. */
export async function dryRunDraft(actor: Caller, draft: TDryRunDraft, query: TDryRunQuery): Promise<TDryRunResult> {
  assertRole(actor, "admin", "Dry-running automation rules");
  const edited = draft.ruleId ? await loadLiveRule(draft.ruleId) : null;
  const connection = await db().serviceNowConnection.findUnique({ where: { id: draft.connectionId }, select: { id: true } });
  if (!connection) {
    throw new AppError("VALIDATION", {
      message: "Unknown ServiceNow connection",
      details: { errors: [{ path: "body.connectionId", message: "no such connection" }] },
    });
  }
  let priority = draft.priority ?? edited?.priority;
  if (priority === undefined || (edited && edited.connectionId !== draft.connectionId && draft.priority === undefined)) {
    const last = await db().automationRule.aggregate({
      where: { connectionId: draft.connectionId, deletedAt: null },
      _max: { priority: true },
    });
    priority = (last._max.priority ?? 0) + PRIORITY_STEP;
  }
  const rule: PlanRule = {
    id: edited?.id ?? NEW_RULE_ID,
    name: draft.name,
    priority,
    conditions: draft.conditions,
    action: draft.action,
    isDraft: true,
  };
  const context = await loadPlanContext({ connectionId: draft.connectionId, draft: rule });
  if (!context) throw new AppError("NOT_FOUND", { message: "No such ServiceNow connection" });
  assertPlannable(context.connection);
  return run(context, { ...rule, enabled: draft.enabled, isStored: edited !== null }, query);
}
