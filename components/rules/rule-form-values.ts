// The rule form's state and what it sends: a new rule in full, an edited one as only what changed
// (pure: unit-tested in rule-form-values.test.ts).
import { type ChangeEvent } from "react";
import { type TTicketType } from "@/lib/schemas/connections";
import { type TChangeType } from "@/lib/schemas/tickets";
import {
  type TCreateRuleInput,
  type TOwnerSource,
  type TRuleDto,
  type TRuleFormOptions,
  type TRuleGrouping,
  type TUpdateRule,
} from "@/lib/schemas/rules";
import { type TSeverity } from "@/lib/schemas/recommendations";

export type RuleFormValues = {
  name: string;
  description: string;
  connectionId: string;
  /** Empty: after the connection's last rule. */
  priority: string;
  enabled: boolean;
  severities: TSeverity[];
  recommendationKeys: string[];
  categories: string[];
  subscriptionIds: string[];
  resourceGroups: string[];
  /** An empty value means "any value". */
  tags: Array<{ key: string; value: string }>;
  table: TTicketType;
  changeType: TChangeType;
  grouping: TRuleGrouping;
  assignmentGroup: string;
  ownerSource: TOwnerSource;
  ownerValue: string;
  remediationDays: string;
  gracePeriod: boolean;
};

export function initialValues(rule: TRuleDto | null, connectionId: string): RuleFormValues {
  return {
    name: rule?.name ?? "",
    description: rule?.description ?? "",
    connectionId: rule?.connection.id ?? connectionId,
    priority: rule ? String(rule.priority) : "",
    enabled: rule?.enabled ?? false,
    severities: rule?.conditions.severities ?? [],
    recommendationKeys: rule?.conditions.recommendationKeys ?? [],
    categories: rule?.conditions.categories ?? [],
    subscriptionIds: rule?.conditions.subscriptionIds ?? [],
    resourceGroups: rule?.conditions.resourceGroups ?? [],
    tags: rule?.conditions.tags.map((t) => ({ key: t.key, value: t.value ?? "" })) ?? [],
    table: rule?.action.table ?? "incident",
    changeType: rule?.action.changeType ?? "normal",
    grouping: rule?.action.grouping ?? "per_finding",
    assignmentGroup: rule?.action.assignmentGroup ?? "",
    ownerSource: rule?.action.ownerSource ?? "none",
    ownerValue: rule?.action.ownerValue ?? "",
    remediationDays: String(rule?.action.remediationDays ?? 30),
    gracePeriod: rule?.action.gracePeriod ?? false,
  };
}

/** A number as typed, or NaN (the server answers with the field's error) — never silently dropped. */
function int(text: string): number {
  return /^\s*-?\d+\s*$/.test(text) ? Number(text) : Number.NaN;
}

export function toCreateInput(v: RuleFormValues): TCreateRuleInput {
  return {
    name: v.name,
    description: v.description,
    connectionId: v.connectionId,
    enabled: v.enabled,
    ...(v.priority.trim() ? { priority: int(v.priority) } : {}),
    conditions: {
      severities: v.severities,
      recommendationKeys: v.recommendationKeys,
      categories: v.categories,
      subscriptionIds: v.subscriptionIds,
      resourceGroups: v.resourceGroups,
      tags: v.tags.filter((t) => t.key.trim() || t.value.trim()).map((t) => ({ key: t.key, value: t.value.trim() ? t.value : null })),
    },
    action: {
      table: v.table,
      changeType: v.table === "change_request" ? v.changeType : null,
      grouping: v.grouping,
      assignmentGroup: v.assignmentGroup.trim() || null,
      ownerSource: v.ownerSource,
      ownerValue: v.ownerSource === "none" ? null : v.ownerValue.trim() || null,
      remediationDays: int(v.remediationDays),
      gracePeriod: v.gracePeriod,
    },
  };
}

/** Only what changed; `conditions` goes whole when any of it changed (the API replaces it). */
export function toUpdateInput(v: RuleFormValues, before: RuleFormValues): TUpdateRule {
  const next = toCreateInput(v);
  const old = toCreateInput(before);
  const changes: TUpdateRule = {};
  if (next.name !== old.name) changes.name = next.name;
  if (next.description !== old.description) changes.description = next.description;
  if (next.connectionId !== old.connectionId) changes.connectionId = next.connectionId;
  if (next.enabled !== old.enabled) changes.enabled = next.enabled;
  if (v.priority !== before.priority && next.priority !== undefined) changes.priority = next.priority;
  if (JSON.stringify(next.conditions) !== JSON.stringify(old.conditions)) changes.conditions = next.conditions as TUpdateRule["conditions"];
  const action: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(next.action ?? {})) {
    if (JSON.stringify(value) !== JSON.stringify((old.action as Record<string, unknown> | undefined)?.[key])) action[key] = value;
  }
  if (Object.keys(action).length) changes.action = action as TUpdateRule["action"];
  return changes;
}

/** The props of a part of the rule form (its conditions, its action). */
export type RuleFieldsProps = {
  values: RuleFormValues;
  set: <K extends keyof RuleFormValues>(key: K, value: RuleFormValues[K]) => void;
  options: TRuleFormOptions;
  fieldError: (path: string) => string | undefined;
};

type KeysOf<X> = { [K in keyof RuleFormValues]: RuleFormValues[K] extends X ? K : never }[keyof RuleFormValues];

/**
 * Binds the rule form's fields: `text(key, path)` gives a text field or select its value, its onChange and
 * the API's error at `path` (default: the key); `checkbox(key)` gives a checkbox its state and onChange;
 * `chips(key)` gives a list condition's chips their values (each `normalize`d as set) and the API's error.
 */
export function ruleFields(
  values: RuleFormValues,
  set: <K extends keyof RuleFormValues>(key: K, value: RuleFormValues[K]) => void,
  fieldError: (path: string) => string | undefined,
) {
  return {
    text: <K extends KeysOf<string>>(key: K, path: string = key) => ({
      value: values[key] as string,
      onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) =>
        set(key, e.target.value as RuleFormValues[K]),
      error: fieldError(path),
    }),
    /** A directory picker (of the rule's connection) bound to `key`. */
    picker: <K extends KeysOf<string>>(key: K, path: string) => ({
      connectionId: values.connectionId || null,
      value: values[key] as string,
      onChange: (v: string) => set(key, v as RuleFormValues[K]),
      error: fieldError(path),
    }),
    checkbox: <K extends KeysOf<boolean>>(key: K) => ({
      checked: values[key] as boolean,
      onChange: (e: ChangeEvent<HTMLInputElement>) => set(key, e.target.checked as RuleFormValues[K]),
    }),
    chips: <K extends KeysOf<string[]>>(key: K, normalize = (value: string) => value) => ({
      values: values[key] as string[],
      onChange: (list: string[]) => set(key, list.map(normalize) as RuleFormValues[K]),
      error: fieldError(`conditions.${key}`),
    }),
  };
}
