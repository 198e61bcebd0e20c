import "server-only";

// AutomationRule rows ↔ what the API and the planner see. Stored conditions are JSON written by this
// service, but a row edited by hand or by an older version must never break a listing or a sync: an
// unreadable rule is shown as invalid and matches nothing.
import { type AutomationRule, type ServiceNowConnection } from "@/lib/generated/prisma/client";
import { EMPTY_CONDITIONS, type TRuleAction, type TRuleConditions, type TRuleDto, ZRuleConditions } from "@/lib/schemas/rules";
import { type TTicketType } from "@/lib/schemas/connections";
import { type TChangeType } from "@/lib/schemas/tickets";

export type RuleRow = AutomationRule & { connection: Pick<ServiceNowConnection, "id" | "name" | "deletedAt" | "itsmEnabled"> };

export function conditionsOf(value: unknown): { conditions: TRuleConditions; isValid: boolean } {
  const parsed = ZRuleConditions.safeParse(value);
  return parsed.success ? { conditions: parsed.data, isValid: true } : { conditions: EMPTY_CONDITIONS, isValid: false };
}

export function actionOf(rule: AutomationRule): TRuleAction {
  const table: TTicketType = rule.table === "sn_vulc_result_group" ? "incident" : rule.table;
  return {
    table,
    changeType: table === "change_request" ? ((rule.changeType as TChangeType | null) ?? null) : null,
    grouping: rule.grouping,
    assignmentGroup: rule.assignmentGroup,
    ownerSource: rule.ownerSource,
    ownerValue: rule.ownerSource === "none" ? null : rule.ownerValue,
    remediationDays: rule.remediationDays,
    gracePeriod: rule.gracePeriod,
  };
}

/** The columns an action is stored in. */
export function actionColumns(action: TRuleAction) {
  return {
    table: action.table,
    changeType: action.table === "change_request" ? action.changeType : null,
    grouping: action.grouping,
    assignmentGroup: action.assignmentGroup,
    ownerSource: action.ownerSource,
    ownerValue: action.ownerSource === "none" ? null : action.ownerValue,
    remediationDays: action.remediationDays,
    gracePeriod: action.gracePeriod,
  };
}

export function toRuleDto(rule: RuleRow, ticketCount = 0): TRuleDto {
  const { conditions, isValid } = conditionsOf(rule.conditions);
  return {
    id: rule.id,
    name: rule.name,
    description: rule.description,
    enabled: rule.enabled,
    priority: rule.priority,
    connection: {
      id: rule.connection.id,
      name: rule.connection.name,
      isArchived: rule.connection.deletedAt !== null,
      itsmEnabled: rule.connection.itsmEnabled,
    },
    conditions,
    isValid,
    action: actionOf(rule),
    ticketCount,
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  };
}

/** What the audit log keeps of a rule (before/after). */
export function auditView(rule: RuleRow | AutomationRule) {
  const { conditions } = conditionsOf(rule.conditions);
  return {
    name: rule.name,
    description: rule.description,
    enabled: rule.enabled,
    priority: rule.priority,
    connectionId: rule.connectionId,
    conditions,
    action: actionOf(rule),
    ...(rule.deletedAt ? { deletedAt: rule.deletedAt.toISOString() } : {}),
  };
}
