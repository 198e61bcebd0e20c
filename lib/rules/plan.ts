import "server-only";

// The rule planner (docs/DESIGN.md §4.4), shared by the dry run and the sync engine: for one connection,
// the Unhealthy findings still reported by Defender that have no active ITSM ticket on it, each taken by
// the FIRST enabled rule (lowest priority number) whose conditions hold, grouped per that rule's
// grouping. The engine hands each planned ticket to the ticket service (ticketRequestFor in ./apply.ts
// → createTickets), whose correlation ids make creation exactly-once; a dry run shows the same plan
// without creating anything — so "dry run equals real run" holds by construction.
//
// No side effects: the plan reads the database only (matching in SQL, see ./plan-sql.ts).
import { severityMappingOf } from "@/lib/connections/dto";
import { db, type ServiceNowConnectionRow } from "@/lib/db";
import { type TPlannedTicketDto, type TRuleAction, type TRuleConditions } from "@/lib/schemas/rules";
import { priorityOf } from "@/lib/tickets/draft-text";
import { actionOf, conditionsOf } from "./dto";
import { byEvaluationOrder, dueDateOf, partKey, plannedShortDescription } from "./plan-text";
import { type GroupRow, type MatchRule, selectGroups } from "./plan-sql";

export type PlannedTicket = TPlannedTicketDto;

/** A rule as the planner evaluates it: stored, or an unsaved draft from the rule form. */
export type PlanRule = {
  id: string;
  name: string;
  priority: number;
  conditions: TRuleConditions;
  action: TRuleAction;
  isDraft?: boolean;
};

export type PlanRuleTicketsOptions = {
  connectionId: string;
  /** Report only these rules' tickets; higher-priority enabled rules still take their findings first. */
  ruleIds?: string[];
  /** Consider only these findings (e.g. the ones a run just saw change). */
  findingIds?: string[];
  /** Stored rules to evaluate as if enabled (the dry run of a disabled rule). */
  treatAsEnabled?: string[];
  /** An unsaved rule (dry run from the form); replaces the stored rule with the same id, if any. */
  draft?: PlanRule;
  /** Reference time of the due dates (default: now). */
  now?: Date;
};

export type PlanContext = {
  connection: ServiceNowConnectionRow;
  /** Rules in evaluation order. */
  rules: PlanRule[];
  /** Rules skipped because their stored conditions cannot be read. */
  invalidRuleIds: string[];
};

/** The connection and the rules a plan evaluates; null when the connection does not exist. */
export async function loadPlanContext(
  options: Pick<PlanRuleTicketsOptions, "connectionId" | "treatAsEnabled" | "draft">,
): Promise<PlanContext | null> {
  const connection = await db().serviceNowConnection.findUnique({ where: { id: options.connectionId } });
  if (!connection) return null;
  const stored = await db().automationRule.findMany({
    where: { connectionId: connection.id, deletedAt: null, OR: [{ enabled: true }, { id: { in: options.treatAsEnabled ?? [] } }] },
    orderBy: { priority: "asc" },
  });
  const rules: PlanRule[] = [];
  const invalidRuleIds: string[] = [];
  for (const row of stored) {
    if (options.draft && row.id === options.draft.id) continue;
    const { conditions, isValid } = conditionsOf(row.conditions);
    if (!isValid) {
      invalidRuleIds.push(row.id);
      continue;
    }
    rules.push({ id: row.id, name: row.name, priority: row.priority, conditions, action: actionOf(row) });
  }
  if (options.draft) rules.push({ ...options.draft, isDraft: true });
  rules.sort(byEvaluationOrder);
  return { connection, rules, invalidRuleIds };
}

/** Whether rules may create tickets on the connection at all. */
export function isPlannable(connection: Pick<ServiceNowConnectionRow, "deletedAt" | "itsmEnabled">): boolean {
  return connection.deletedAt === null && connection.itsmEnabled;
}

export function matchRulesOf(rules: PlanRule[]): MatchRule[] {
  return rules.map((r) => ({
    id: r.id,
    priority: r.priority,
    conditions: r.conditions,
    grouping: r.action.grouping,
    ownerTag: r.action.ownerSource === "tag" ? r.action.ownerValue : null,
  }));
}

function toPlanned(
  row: GroupRow,
  rule: PlanRule,
  connection: ServiceNowConnectionRow,
  now: Date,
  names: Map<string, string>,
): PlannedTicket {
  const recommendations = row.recommendationKeys
    .map((key) => ({ key, displayName: names.get(key) ?? key }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.key.localeCompare(b.key));
  const mapping = severityMappingOf(connection.severityMapping)[row.severity];
  const { action } = rule;
  return {
    ruleId: rule.id,
    ruleName: rule.name,
    groupKey: partKey(row.groupKey, row.part, row.parts),
    table: action.table,
    changeType: action.table === "change_request" ? (action.changeType ?? "normal") : null,
    grouping: action.grouping,
    shortDescription: plannedShortDescription({
      recommendations,
      findingCount: row.findingIds.length,
      firstResource: row.resources[0] ?? "",
    }),
    severity: row.severity,
    priority: priorityOf(mapping.impact, mapping.urgency),
    findingCount: row.findingIds.length,
    findingIds: row.findingIds,
    resources: row.resources,
    recommendations,
    subscriptionId: row.subscriptionId,
    resourceGroup: row.resourceGroup,
    owner: action.ownerSource === "fixed" ? action.ownerValue : action.ownerSource === "tag" ? row.owner : null,
    assignmentGroup: action.assignmentGroup ?? connection.defaultAssignmentGroup,
    remediationDays: action.remediationDays,
    dueDate: dueDateOf(now, action.remediationDays).toISOString(),
    gracePeriod: action.gracePeriod,
  };
}

/** The plan for a loaded context (the dry run reuses the context for its statistics). */
export async function planFromContext(
  context: PlanContext,
  options: Omit<PlanRuleTicketsOptions, "connectionId" | "treatAsEnabled" | "draft">,
): Promise<PlannedTicket[]> {
  const { connection, rules } = context;
  if (!isPlannable(connection) || rules.length === 0) return [];
  if (options.findingIds && options.findingIds.length === 0) return [];
  const rows = await selectGroups({
    connectionId: connection.id,
    rules: matchRulesOf(rules),
    reportRuleIds: options.ruleIds ?? null,
    findingIds: options.findingIds ?? null,
  });
  const now = options.now ?? new Date();
  const order = new Map(rules.map((r, i) => [r.id, i]));
  const byId = new Map(rules.map((r) => [r.id, r]));
  const keys = [...new Set(rows.flatMap((r) => r.recommendationKeys))];
  const names = new Map(
    (await db().recommendation.findMany({ where: { key: { in: keys } }, select: { key: true, displayName: true } })).map((r) => [
      r.key,
      r.displayName,
    ]),
  );
  const planned = rows.map((row) => ({
    order: order.get(row.ruleId)!,
    part: row.part,
    key: row.groupKey,
    ticket: toPlanned(row, byId.get(row.ruleId)!, connection, now, names),
  }));
  planned.sort((a, b) => a.order - b.order || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || a.part - b.part);
  return planned.map((p) => p.ticket);
}

/**
 * The tickets the connection's enabled rules would create now, highest-priority rule first, groups in
 * a stable order. An archived connection, or one with the ITSM module off, plans nothing.
 */
export async function planRuleTickets(options: PlanRuleTicketsOptions): Promise<PlannedTicket[]> {
  const context = await loadPlanContext(options);
  if (!context) return [];
  return planFromContext(context, options);
}
