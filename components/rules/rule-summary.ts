// One-line descriptions of a rule's conditions and action for the rules table and the dry run
// (pure: unit-tested in rule-summary.test.ts).
import { TICKET_TYPE_LABEL } from "@/lib/schemas/connections";
import { RULE_GROUPING_LABEL, type TRuleAction, type TRuleConditions } from "@/lib/schemas/rules";

function list(values: string[], max = 3): string {
  return values.length <= max ? values.join(", ") : `${values.slice(0, max).join(", ")} +${values.length - max} more`;
}

/** "Severity High or Medium", "Resource group rg-prod", … — one entry per condition that restricts. */
export function describeConditions(
  c: TRuleConditions,
  names: { recommendation?: (key: string) => string; subscription?: (id: string) => string } = {},
): string[] {
  const out: string[] = [];
  if (c.severities.length) out.push(`Severity ${c.severities.join(" or ")}`);
  if (c.recommendationKeys.length)
    out.push(
      `Recommendation ${list(
        c.recommendationKeys.map((k) => names.recommendation?.(k) ?? k),
        2,
      )}`,
    );
  if (c.categories.length) out.push(`Category ${list(c.categories)}`);
  if (c.subscriptionIds.length)
    out.push(
      `Subscription ${list(
        c.subscriptionIds.map((s) => names.subscription?.(s) ?? s),
        2,
      )}`,
    );
  if (c.resourceGroups.length) out.push(`Resource group ${list(c.resourceGroups)}`);
  for (const t of c.tags) out.push(t.value === null ? `Tag ${t.key} present` : `Tag ${t.key} = ${t.value}`);
  return out;
}

export function describeOwner(a: Pick<TRuleAction, "ownerSource" | "ownerValue">): string {
  if (a.ownerSource === "fixed") return `Owner ${a.ownerValue}`;
  if (a.ownerSource === "tag") return `Owner from tag "${a.ownerValue}"`;
  return "No owner";
}

export function describeAction(a: TRuleAction): string {
  const parts = [
    `${TICKET_TYPE_LABEL[a.table]}${a.table === "change_request" && a.changeType ? ` (${a.changeType})` : ""}`,
    RULE_GROUPING_LABEL[a.grouping].replace(/^One ticket/, "one"),
    a.assignmentGroup ? `to ${a.assignmentGroup}` : "to the connection's default group",
    describeOwner(a)
      .replace(/^Owner/, "owner")
      .replace(/^No owner/, "no owner"),
    `due in ${a.remediationDays} day${a.remediationDays === 1 ? "" : "s"}${a.gracePeriod ? " (grace period)" : ""}`,
  ];
  return parts.join(" · ");
}
