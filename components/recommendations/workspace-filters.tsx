"use client";
import { X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { choices, facetChoices } from "@/components/ui/choices";
import { AddressCheckbox, AddressSearch, AddressSelect, FilterBar } from "@/components/ui/list-view";
import { useSearchState } from "@/components/ui/use-search-state";
import { FINDING_STATUS_LABEL, FINDING_STATUSES, SEVERITIES, type TRecommendationFacets } from "@/lib/schemas/recommendations";

const STATUSES = choices(FINDING_STATUSES, (s) => FINDING_STATUS_LABEL[s]);
const TICKETS = [
  ["true", "With a ticket"],
  ["false", "Without ticket"],
] as const;

// The facet filters: address parameter, label, the empty choice, the facet listing the values, width.
const FACET_FILTERS = [
  ["subscriptionId", "Subscription", "All subscriptions", "subscriptions", "w-52"],
  ["resourceType", "Resource type", "All resource types", "resourceTypes", "w-56"],
  ["category", "Category", "All categories", "categories", "w-40"],
  ["resourceGroup", "Resource group", "All resource groups", "resourceGroups", "w-48"],
] as const;

type Facet = (typeof FACET_FILTERS)[number][3];

type Scope = "recommendations" | "findings" | "resources";

const FILTER_KEYS = ["q", "severity", "status", "subscriptionId", "resourceType", "category", "resourceGroup", "hasTicket", "overdue"];

/**
 * A subscription filter only when there are several; resource types and categories not for one
 * recommendation's resources; resource groups not on the recommendations list, and only when there are some.
 */
function isShown(facet: Facet, scope: Scope, facets: TRecommendationFacets): boolean {
  if (facet === "subscriptions") return facets.subscriptions.length > 1;
  if (facet === "resourceGroups") return scope !== "recommendations" && facets.resourceGroups.length > 0;
  return scope !== "resources";
}

/**
 * The workspace filter bar, state in the URL (a view can be shared by copying its address). `scope`:
 * the recommendations list, the flat findings list, or one recommendation's resources.
 */
export function WorkspaceFilters({ facets, scope }: { facets: TRecommendationFacets; scope: Scope }) {
  const search = useSearchState();
  const { getAll, update } = search;
  const severities = getAll("severity");
  const isFiltered = FILTER_KEYS.some((k) => getAll(k).length > 0);
  const toggleSeverity = (s: string) =>
    update({ severity: severities.includes(s) ? severities.filter((x) => x !== s) : [...severities, s] });
  const statusLabel = scope === "recommendations" ? "Status" : "Resource status";

  return (
    <FilterBar label="Filters">
      <AddressSearch
        address={search}
        param="q"
        placeholder={scope === "recommendations" ? "Recommendation name or key" : "Resource, id or recommendation"}
        className="w-64"
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
      <AddressSelect address={search} param="status" label={statusLabel} all="Any status" options={STATUSES} className="w-40" />
      {FACET_FILTERS.filter(([, , , facet]) => isShown(facet, scope, facets)).map(([param, label, all, facet, width]) => (
        <AddressSelect
          key={param}
          address={search}
          param={param}
          label={label}
          all={all}
          options={facetChoices(facets[facet])}
          className={width}
        />
      ))}
      <AddressSelect address={search} param="hasTicket" label="Tickets" all="With or without" options={TICKETS} className="w-40" />
      <AddressCheckbox address={search} param="overdue" label="Overdue" className="h-9 items-center" />
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
    </FilterBar>
  );
}
