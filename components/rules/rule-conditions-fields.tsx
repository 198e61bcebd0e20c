"use client";
import { Plus, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { CheckboxField } from "@/components/ui/field";
import { SEVERITIES, type TSeverity } from "@/lib/schemas/recommendations";
import { ChipsInput } from "./chips-input";
import { resolveSubscription, subscriptionLabel } from "./subscription-ref";
import { ruleFields, type RuleFieldsProps } from "./rule-form-values";

type Props = RuleFieldsProps;

/** Which findings the rule matches: every filled condition must hold; values inside one are alternatives. */
export function RuleConditionsFields({ values, set, options, fieldError }: Props) {
  const toggleSeverity = (s: TSeverity, on: boolean) =>
    set("severities", on ? SEVERITIES.filter((x) => x === s || values.severities.includes(x)) : values.severities.filter((x) => x !== s));
  const { chips } = ruleFields(values, set, fieldError);
  const setTag = (i: number, change: Partial<{ key: string; value: string }>) =>
    set(
      "tags",
      values.tags.map((t, k) => (k === i ? { ...t, ...change } : t)),
    );
  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-semibold">Conditions</legend>
      <p className="text-xs text-muted">
        Unhealthy findings without an active ticket on the connection. Every filled condition must hold; values within one condition are
        alternatives. Leave all empty to match every finding.
      </p>
      <div role="group" aria-label="Severity" className="flex flex-wrap items-center gap-4">
        <span className="text-xs font-medium">Severity</span>
        {SEVERITIES.map((s) => (
          <CheckboxField key={s} label={s} checked={values.severities.includes(s)} onChange={(e) => toggleSeverity(s, e.target.checked)} />
        ))}
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <ChipsInput
          label="Recommendations"
          {...chips("recommendationKeys")}
          options={options.recommendations.map((r) => ({ value: r.key.toLowerCase(), label: r.displayName }))}
          placeholder="Name or assessment key"
        />
        <ChipsInput
          label="Categories"
          {...chips("categories")}
          options={options.categories.map((c) => ({ value: c, label: c }))}
          placeholder="e.g. Compute"
        />
        <ChipsInput
          label="Subscriptions"
          {...chips("subscriptionIds")}
          options={options.subscriptions.map((s) => ({ value: s.subscriptionId.toLowerCase(), label: subscriptionLabel(s) }))}
          resolve={(typed) => resolveSubscription(typed, options.subscriptions)}
          placeholder="Subscription name or id"
        />
        <ChipsInput
          label="Resource groups"
          {...chips("resourceGroups", (g) => g.toLowerCase())}
          options={options.resourceGroups.map((g) => ({ value: g, label: g }))}
          placeholder="e.g. rg-prod"
        />
      </div>
      <div className="space-y-2" role="group" aria-label="Resource tags">
        <span className="text-xs font-medium">Resource tags</span>
        <p className="text-xs text-muted">
          The resource must carry every tag listed (names and values compare exactly). Leave a value empty to accept any value.
        </p>
        {values.tags.map((t, i) => (
          <div key={i} className="flex items-end gap-2">
            <label className="flex flex-1 flex-col gap-1 text-xs">
              Tag name
              <input
                list="rule-tag-keys"
                value={t.key}
                onChange={(e) => setTag(i, { key: e.target.value })}
                className="h-9 rounded-md border border-border bg-surface px-2.5 text-sm"
              />
            </label>
            <label className="flex flex-1 flex-col gap-1 text-xs">
              Value
              <input
                value={t.value}
                placeholder="any value"
                onChange={(e) => setTag(i, { value: e.target.value })}
                className="h-9 rounded-md border border-border bg-surface px-2.5 text-sm"
              />
            </label>
            <Button
              variant="ghost"
              onClick={() =>
                set(
                  "tags",
                  values.tags.filter((_, k) => k !== i),
                )
              }
              aria-label={`Remove tag condition ${i + 1}`}
              icon={<X aria-hidden className="size-4" />}
            />
          </div>
        ))}
        <datalist id="rule-tag-keys">
          {options.tagKeys.map((k) => (
            <option key={k} value={k} />
          ))}
        </datalist>
        {fieldError("conditions.tags") ? <p className="text-xs text-danger">{fieldError("conditions.tags")}</p> : null}
        <Button
          size="sm"
          onClick={() => set("tags", [...values.tags, { key: "", value: "" }])}
          icon={<Plus aria-hidden className="size-3.5" />}
        >
          Add tag condition
        </Button>
      </div>
    </fieldset>
  );
}
