import { z } from "zod";
import { ZBooleanQuery, ZPageQuery, ZUuid } from "@/lib/schemas/common";
import { type TTicketType, ZReference, ZTicketType } from "@/lib/schemas/connections";
import { SEVERITIES, type TSeverity } from "@/lib/schemas/recommendations";
import { CHANGE_TYPES, type TChangeType } from "@/lib/schemas/tickets";

// Governance automation rules (docs/DESIGN.md §4.4): which unhealthy findings a rule matches (conditions)
// and the tickets it creates for them (action). Shared by the /rules form, the API and the planner.
//
// Matching: inside one condition the values are alternatives (severity High OR Medium); the conditions
// together must all hold (severity AND subscription AND every listed tag). An empty condition does not
// restrict. Recommendation keys, categories, subscriptions and resource groups compare without regard to
// case (Azure treats them so); tag keys and values compare exactly, as stored on the resource.
// Priority: the LOWER number wins (1 is evaluated first); unique among the live rules of a connection.

export const RULE_GROUPINGS = ["per_finding", "per_recommendation", "per_resource_group"] as const;
export type TRuleGrouping = (typeof RULE_GROUPINGS)[number];
export const RULE_GROUPING_LABEL: Record<TRuleGrouping, string> = {
  per_finding: "One ticket per finding",
  per_recommendation: "One ticket per recommendation",
  per_resource_group: "One ticket per resource group",
};

export const OWNER_SOURCES = ["none", "fixed", "tag"] as const;
export type TOwnerSource = (typeof OWNER_SOURCES)[number];

export const MIN_PRIORITY = 1;
export const MAX_PRIORITY = 100_000;
/** Gap left between rules created without a priority, so one can be slotted in between later. */
export const PRIORITY_STEP = 10;
/** A ticket never covers more findings than one request to POST /api/tickets may name. */
export const MAX_FINDINGS_PER_TICKET = 500;

const ZSubscriptionId = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, "must be a subscription id (GUID)")
  .transform((v) => v.toLowerCase());
const ZSingleLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(max)
    .regex(/^[^\r\n\t]*$/, "must be a single line");

/** Drops repeated values (after normalisation) so stored conditions stay tidy. */
function unique<T extends z.ZodType<string>>(item: T, max: number) {
  return z
    .array(item)
    .max(max, `at most ${max} values`)
    .transform((values) => [...new Set(values)]);
}

export const ZRuleTag = z
  .object({
    key: ZSingleLine(512),
    /** Omitted or null: the resource only needs to carry the tag, whatever its value. */
    value: z
      .string()
      .trim()
      .max(256)
      .regex(/^[^\r\n]*$/, "must be a single line")
      .nullable()
      .optional(),
  })
  .strict()
  .transform((t) => ({ key: t.key, value: t.value ?? null }));

export const ZRuleConditions = z
  .object({
    severities: z
      .array(z.enum(SEVERITIES))
      .max(3)
      .transform((v) => [...new Set(v)])
      .default([]),
    recommendationKeys: unique(
      ZSingleLine(200).transform((v) => v.toLowerCase()),
      500,
    ).default([]),
    categories: unique(ZSingleLine(100), 50).default([]),
    subscriptionIds: unique(ZSubscriptionId, 500).default([]),
    resourceGroups: unique(
      ZSingleLine(90).transform((v) => v.toLowerCase()),
      500,
    ).default([]),
    tags: z
      .array(ZRuleTag)
      .max(20, "at most 20 tags")
      .refine((tags) => new Set(tags.map((t) => t.key)).size === tags.length, "must not name a tag twice")
      .default([]),
  })
  .strict();
export type TRuleConditions = z.infer<typeof ZRuleConditions>;

/** No restriction: every condition empty (the schema's defaults). */
export const EMPTY_CONDITIONS: TRuleConditions = ZRuleConditions.parse({});

const actionFields = {
  /** ServiceNow table of the tickets the rule creates. */
  table: ZTicketType,
  /** Change requests only (default "normal"). */
  changeType: z.enum(CHANGE_TYPES).nullable(),
  grouping: z.enum(RULE_GROUPINGS),
  /** Assignment group name or sys_id; null = the connection's default group. */
  assignmentGroup: ZReference.nullable(),
  /** Who owns the remediation (ticket assignee and Defender governance owner). */
  ownerSource: z.enum(OWNER_SOURCES),
  /** fixed: a ServiceNow user name or e-mail; tag: the resource tag holding the owner's e-mail. */
  ownerValue: ZSingleLine(200).nullable(),
  /** Remediation timeframe: due date = ticket creation + days. */
  remediationDays: z.number().int().min(1, "at least 1 day").max(365, "at most 365 days"),
  /** Defender governance grace period (the finding does not count against the secure score until due). */
  gracePeriod: z.boolean(),
};

type ActionShape = { table: TTicketType; changeType: TChangeType | null; ownerSource: TOwnerSource; ownerValue: string | null };

/** Cross-field rules of an action; applied to whole actions (create) and to merged ones (update). */
function checkAction(v: ActionShape, ctx: z.RefinementCtx): void {
  if (v.changeType && v.table !== "change_request")
    ctx.addIssue({ code: "custom", path: ["changeType"], message: "only applies to change requests" });
  if (v.ownerSource === "none" && v.ownerValue)
    ctx.addIssue({ code: "custom", path: ["ownerValue"], message: "must be empty when the rule sets no owner" });
  if (v.ownerSource !== "none" && !v.ownerValue) {
    ctx.addIssue({
      code: "custom",
      path: ["ownerValue"],
      message: v.ownerSource === "tag" ? "name the tag that holds the owner" : "name the owner (user name or e-mail)",
    });
  }
}

export const ZRuleAction = z
  .object({
    table: actionFields.table.default("incident"),
    changeType: actionFields.changeType.default(null),
    grouping: actionFields.grouping.default("per_finding"),
    assignmentGroup: actionFields.assignmentGroup.default(null),
    ownerSource: actionFields.ownerSource.default("none"),
    ownerValue: actionFields.ownerValue.default(null),
    remediationDays: actionFields.remediationDays.default(30),
    gracePeriod: actionFields.gracePeriod.default(false),
  })
  .strict()
  .superRefine(checkAction);
export type TRuleAction = z.infer<typeof ZRuleAction>;

/** Checks an action assembled from a stored rule and a partial update. */
export const ZMergedRuleAction = z.object(actionFields).strict().superRefine(checkAction);

const ZRuleName = ZSingleLine(120);
const ZPriority = z
  .number()
  .int()
  .min(MIN_PRIORITY, `must be ${MIN_PRIORITY}–${MAX_PRIORITY}`)
  .max(MAX_PRIORITY, `must be ${MIN_PRIORITY}–${MAX_PRIORITY}`);

export const ZCreateRule = z
  .object({
    name: ZRuleName,
    description: z.string().trim().max(2000).default(""),
    /** New rules start disabled: dry-run them first. */
    enabled: z.boolean().default(false),
    /** Lower = evaluated first. Omitted: after the connection's last rule. */
    priority: ZPriority.optional(),
    /** The ServiceNow connection the tickets are created on (the rule's scope). */
    connectionId: ZUuid,
    conditions: ZRuleConditions.default(EMPTY_CONDITIONS),
    /** Omitted: the action's field defaults (ZRuleAction). */
    action: ZRuleAction.default(() => ZRuleAction.parse({})),
  })
  .strict();
export type TCreateRule = z.infer<typeof ZCreateRule>;
export type TCreateRuleInput = z.input<typeof ZCreateRule>;

/** Every field optional; `conditions` replaces the stored conditions, `action` is merged field by field. */
export const ZUpdateRule = z
  .object({
    name: ZRuleName,
    description: z.string().trim().max(2000),
    enabled: z.boolean(),
    priority: ZPriority,
    connectionId: ZUuid,
    conditions: ZRuleConditions,
    action: z.object(actionFields).partial().strict(),
  })
  .partial()
  .strict();
export type TUpdateRule = z.infer<typeof ZUpdateRule>;

export const ZReorderRules = z
  .object({
    connectionId: ZUuid,
    /** Every live rule of the connection, highest priority first. */
    ruleIds: z
      .array(ZUuid)
      .min(1, "name at least one rule")
      .max(1000)
      .refine((ids) => new Set(ids).size === ids.length, "must not repeat a rule"),
  })
  .strict();
export type TReorderRules = z.infer<typeof ZReorderRules>;

export const ZRulesQuery = ZPageQuery.extend({
  connectionId: ZUuid.optional(),
  enabled: ZBooleanQuery,
});
export type TRulesQuery = z.infer<typeof ZRulesQuery>;

/** Paging of the planned tickets of a dry run. */
export const ZDryRunQuery = ZPageQuery;
export type TDryRunQuery = z.infer<typeof ZDryRunQuery>;

/** A rule not saved yet (or unsaved edits of `ruleId`), dry-run from the form. */
export const ZDryRunDraft = ZCreateRule.extend({ ruleId: ZUuid.optional() }).strict();
export type TDryRunDraft = z.infer<typeof ZDryRunDraft>;

export type TRuleDto = {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  priority: number;
  connection: { id: string; name: string; isArchived: boolean; itsmEnabled: boolean };
  conditions: TRuleConditions;
  /** False when the stored conditions cannot be read (the rule then matches nothing). */
  isValid: boolean;
  action: TRuleAction;
  /** Tickets this rule has created so far. */
  ticketCount: number;
  createdAt: string;
  updatedAt: string;
};

export type TPlannedTicketDto = {
  ruleId: string;
  ruleName: string;
  /** Stable key of the group: "finding:<id>", "recommendation:<key>", "resource-group:<subscription>/<group>", "#n" for parts. */
  groupKey: string;
  table: TTicketType;
  changeType: TChangeType | null;
  grouping: TRuleGrouping;
  shortDescription: string;
  severity: TSeverity;
  /** ServiceNow priority from the connection's severity mapping (impact × urgency). */
  priority: number;
  findingCount: number;
  /** The findings the ticket covers, in ARM id order. */
  findingIds: string[];
  /** Up to three resource names, to recognise the ticket. */
  resources: string[];
  recommendations: Array<{ key: string; displayName: string }>;
  subscriptionId: string | null;
  resourceGroup: string | null;
  owner: string | null;
  assignmentGroup: string | null;
  remediationDays: number;
  dueDate: string;
  gracePeriod: boolean;
};

export type TDryRunResult = {
  rule: { id: string | null; name: string; priority: number; enabled: boolean };
  connection: { id: string; name: string };
  summary: {
    tickets: number;
    findings: number;
    /** Unhealthy findings the conditions match, whatever happens to them. */
    matched: number;
    /** …of which already have an active ticket on the connection. */
    alreadyTicketed: number;
    /** …of which a higher-priority enabled rule takes first. */
    takenByHigherPriority: Array<{ ruleId: string; name: string; priority: number; findings: number }>;
  };
  items: TPlannedTicketDto[];
  total: number;
  page: number;
  pageSize: number;
  generatedAt: string;
};

/** What the rule form offers to pick from (values seen in the data; others may still be typed). */
export type TRuleFormOptions = {
  connections: Array<{ id: string; name: string; itsmEnabled: boolean; defaultAssignmentGroup: string | null }>;
  recommendations: Array<{ key: string; displayName: string; severity: TSeverity }>;
  categories: string[];
  subscriptions: Array<{ subscriptionId: string; displayName: string }>;
  resourceGroups: string[];
  tagKeys: string[];
};
