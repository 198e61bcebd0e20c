"use client";
import { X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { CheckboxField, SelectField } from "@/components/ui/field";
import { SearchField } from "@/components/ui/search-field";
import { useSearchState } from "@/components/ui/use-search-state";
import { FINDING_STATUS_LABEL, FINDING_STATUSES, SEVERITIES, type TRecommendationFacets } from "@/lib/schemas/recommendations";

type Scope = "recommendations" | "findings" | "resources";

const FILTER_KEYS = ["q", "severity", "status", "subscriptionId", "resourceType", "category", "resourceGroup", "hasTicket", "overdue"];

/**
 * The workspace filter bar, state in the URL (a view can be shared by copying its address). `scope`:
 * the recommendations list, the flat findings list, or one recommendation's resources.
 */
export function WorkspaceFilters({ facets, scope }: { facets: TRecommendationFacets; scope: Scope }) {
  const { get, getAll, update } = useSearchState();
  const severities = getAll("severity");
  const isFiltered = FILTER_KEYS.some((k) => getAll(k).length > 0);
  const toggleSeverity = (s: string) =>
    update({ severity: severities.includes(s) ? severities.filter((x) => x !== s) : [...severities, s] });
  const statusLabel = scope === "recommendations" ? "Status" : "Resource status";

  return (
    <form className="flex flex-wrap items-end gap-3 border-b border-border p-3" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
      <SearchField
        placeholder={scope === "recommendations" ? "Recommendation name or key" : "Resource, id or recommendation"}
        value={get("q") ?? ""}
        onSearch={(q, history) => update({ q }, { history })}
        containerClassName="w-64"
      />
      {scope !== "resources" ? (
        <div className="flex flex-col gap-1">
          <span className="text-xs font-medium" id="severity-filter-label">
            Severity
          </span>
          <div role="group" aria-labelledby="severity-filter-label" className="flex h-9 items-center gap-1">
            {SEVERITIES.map((s) => {
              const isOn = severities.includes(s);
              return (
                <button
                  key={s}
                  type="button"
                  aria-pressed={isOn}
                  onClick={() => toggleSeverity(s)}
                  className={cn(
                    "h-8 rounded-md border px-2.5 text-xs font-medium",
                    isOn ? "border-current font-semibold" : "border-border bg-surface text-fg hover:bg-surface-2",
                    isOn && s === "High" && "bg-sev-high-soft text-sev-high",
                    isOn && s === "Medium" && "bg-sev-medium-soft text-sev-medium",
                    isOn && s === "Low" && "bg-sev-low-soft text-sev-low",
                  )}
                >
                  {s}
                </button>
              );
            })}
          </div>
        </div>
      ) : null}
      <SelectField
        label={statusLabel}
        value={get("status") ?? ""}
        onChange={(e) => update({ status: e.target.value })}
        containerClassName="w-40"
      >
        <option value="">Any status</option>
        {FINDING_STATUSES.map((s) => (
          <option key={s} value={s}>
            {FINDING_STATUS_LABEL[s]}
          </option>
        ))}
      </SelectField>
      {facets.subscriptions.length > 1 ? (
        <SelectField
          label="Subscription"
          value={get("subscriptionId") ?? ""}
          onChange={(e) => update({ subscriptionId: e.target.value })}
          containerClassName="w-52"
        >
          <option value="">All subscriptions</option>
          {facets.subscriptions.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </SelectField>
      ) : null}
      {scope !== "resources" ? (
        <SelectField
          label="Resource type"
          value={get("resourceType") ?? ""}
          onChange={(e) => update({ resourceType: e.target.value })}
          containerClassName="w-56"
        >
          <option value="">All resource types</option>
          {facets.resourceTypes.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </SelectField>
      ) : null}
      {scope !== "resources" ? (
        <SelectField
          label="Category"
          value={get("category") ?? ""}
          onChange={(e) => update({ category: e.target.value })}
          containerClassName="w-40"
        >
          <option value="">All categories</option>
          {facets.categories.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </SelectField>
      ) : null}
      {scope !== "recommendations" && facets.resourceGroups.length > 0 ? (
        <SelectField
          label="Resource group"
          value={get("resourceGroup") ?? ""}
          onChange={(e) => update({ resourceGroup: e.target.value })}
          containerClassName="w-48"
        >
          <option value="">All resource groups</option>
          {facets.resourceGroups.map((g) => (
            <option key={g.value} value={g.value}>
              {g.label}
            </option>
          ))}
        </SelectField>
      ) : null}
      <SelectField
        label="Tickets"
        value={get("hasTicket") ?? ""}
        onChange={(e) => update({ hasTicket: e.target.value })}
        containerClassName="w-40"
      >
        <option value="">With or without</option>
        <option value="true">With a ticket</option>
        <option value="false">Without ticket</option>
      </SelectField>
      <CheckboxField
        className="h-9 items-center"
        label="Overdue"
        checked={get("overdue") === "true"}
        onChange={(e) => update({ overdue: e.target.checked ? "true" : null })}
      />
      {isFiltered ? (
        <Button
          size="sm"
          variant="ghost"
          icon={<X aria-hidden className="size-3.5" />}
          onClick={() => update(Object.fromEntries(FILTER_KEYS.map((k) => [k, null])))}
          className="mb-1"
        >
          Clear filters
        </Button>
      ) : null}
    </form>
  );
}
