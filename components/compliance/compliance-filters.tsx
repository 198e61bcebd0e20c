"use client";
import { Download, Printer, X } from "lucide-react";
import { Button, buttonClasses } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { SelectField, TextField } from "@/components/ui/field";
import { useSearchState } from "@/components/ui/use-search-state";
import { longDay } from "@/lib/format/date";
import { complianceCsvHref } from "@/lib/queries/compliance/api";
import { addDays, type TComplianceQuery, type TComplianceSummary, utcToday } from "@/lib/schemas/compliance";

const QUICK_RANGES = [
  { days: 30, label: "30 days" },
  { days: 90, label: "90 days" },
  { days: 365, label: "1 year" },
] as const;

/**
 * Subscription, standard and date range (in the URL, so a view can be shared), the CSV exports of what
 * is shown, and "Print report". Hidden when printing; a line naming the filters is printed instead.
 */
export function ComplianceFilters({
  query,
  summary,
  standard,
}: {
  query: TComplianceQuery;
  summary: TComplianceSummary | undefined;
  standard: string | null;
}) {
  const { update } = useSearchState();
  const today = utcToday();
  const isFiltered = Boolean(query.subscriptionId || standard);
  const subscriptionName =
    summary?.subscriptions.find((s) => s.subscriptionId === query.subscriptionId)?.displayName ?? query.subscriptionId;
  return (
    <>
      <form
        aria-label="Filters"
        onSubmit={(e) => e.preventDefault()}
        className="flex flex-wrap items-end gap-3 rounded-lg border border-border bg-surface p-3 print:hidden"
      >
        <SelectField
          label="Subscription"
          value={query.subscriptionId ?? ""}
          onChange={(e) => update({ subscriptionId: e.target.value, control: null })}
          containerClassName="w-60"
          options={(summary?.subscriptions ?? []).map((s) => [s.subscriptionId, s.displayName] as const)}
        >
          <option value="">All subscriptions</option>
        </SelectField>
        <SelectField
          label="Standard"
          value={standard ?? ""}
          onChange={(e) => update({ standard: e.target.value, control: null })}
          containerClassName="w-64"
          options={(summary?.standards ?? []).map((s) => [s.name, s.name] as const)}
        >
          <option value="">All standards</option>
        </SelectField>
        <TextField
          label="From"
          type="date"
          value={query.from}
          max={query.to}
          onChange={(e) => e.target.value && update({ from: e.target.value })}
          containerClassName="w-40"
        />
        <TextField
          label="To"
          type="date"
          value={query.to}
          min={query.from}
          max={today}
          onChange={(e) => e.target.value && update({ to: e.target.value })}
          containerClassName="w-40"
        />
        <div role="group" aria-label="Quick ranges" className="flex h-9 items-center gap-1">
          {QUICK_RANGES.map((r) => {
            const from = addDays(today, -(r.days - 1));
            const isOn = query.to === today && query.from === from;
            return (
              <button
                key={r.days}
                type="button"
                aria-pressed={isOn}
                onClick={() => update({ from, to: null })}
                className={`h-8 rounded-md border px-2.5 text-xs font-medium ${isOn ? "border-accent bg-accent-soft text-accent" : "border-border bg-surface hover:bg-surface-2"}`}
              >
                {r.label}
              </button>
            );
          })}
        </div>
        {isFiltered ? (
          <Button
            size="sm"
            variant="ghost"
            className="mb-1"
            icon={<X aria-hidden className="size-3.5" />}
            onClick={() => update({ subscriptionId: null, standard: null, control: null })}
          >
            Clear filters
          </Button>
        ) : null}
        <div className="ml-auto flex flex-wrap items-center gap-2">
          <a href={complianceCsvHref(query, "trend")} download className={buttonClasses("secondary", "sm")}>
            <Download aria-hidden className="size-3.5" />
            Export trend (CSV)
          </a>
          <a href={complianceCsvHref(query, "controls", standard)} download className={buttonClasses("secondary", "sm")}>
            <Download aria-hidden className="size-3.5" />
            Export controls (CSV)
          </a>
          <Button size="sm" icon={<Printer aria-hidden className="size-3.5" />} onClick={() => window.print()}>
            Print report
          </Button>
        </div>
      </form>
      <p className="hidden text-sm print:block">
        {subscriptionName ? `Subscription ${subscriptionName}` : "All subscriptions"}
        {standard ? ` · ${standard}` : ""} · {longDay(query.from)} – {longDay(query.to)}
        {summary ? (
          <>
            {" · generated "}
            <DateTime value={summary.generatedAt} format="datetime" />
          </>
        ) : null}
      </p>
    </>
  );
}
