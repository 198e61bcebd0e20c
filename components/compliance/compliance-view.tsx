"use client";
import { Card, CardBody, SectionCard } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { StatTile, TicketTiles } from "@/components/ui/stat";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { HeadRow, Table, TBody, TD, TR } from "@/components/ui/table";
import { useSearchState } from "@/components/ui/use-search-state";
import { toSearchParams } from "@/lib/queries/fetcher";
import { useComplianceSummary } from "@/lib/queries/compliance/use-compliance";
import { complianceQueryOf, type TComplianceSummary } from "@/lib/schemas/compliance";
import { ComplianceFilters } from "./compliance-filters";
import { formatCount, formatPct } from "./format";
import { ScoreControlsPanel } from "./score-controls-panel";
import { SlaTables } from "./sla-tables";
import { StandardsPanel } from "./standards-panel";
import { CoverageTrendChart, ScoreTrendChart, SeverityTrendChart } from "./trend-charts";

function Headline({ s }: { s: TComplianceSummary }) {
  const sub = s.subscriptionId ? { subscriptionId: s.subscriptionId } : {};
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6 print:grid-cols-3">
      <StatTile
        label="Secure score"
        value={formatPct(s.secureScore?.percent)}
        hint={s.secureScore ? `${s.secureScore.current} of ${s.secureScore.max} points` : "No score yet"}
      />
      <StatTile
        label="Unhealthy findings"
        value={formatCount(s.findings.unhealthy)}
        hint={`${formatCount(s.findings.high)} high · ${formatCount(s.findings.medium)} medium · ${formatCount(s.findings.low)} low`}
        href={`/findings${toSearchParams({ status: "Unhealthy", ...sub })}`}
        tone={s.findings.high > 0 ? "danger" : undefined}
      />
      <StatTile
        label="Ticket coverage"
        value={formatPct(s.coverage.percent)}
        hint={`${formatCount(s.coverage.covered)} of ${formatCount(s.coverage.unhealthy)} unhealthy with an open ticket`}
        href={`/findings${toSearchParams({ status: "Unhealthy", hasTicket: "false", ...sub })}`}
      />
      <TicketTiles tickets={s.tickets} driftHint="Closed in ServiceNow, not remediated" />
    </div>
  );
}

function ScoreBySubscription({ s }: { s: TComplianceSummary }) {
  if (s.scoreBySubscription.length === 0) return null;
  return (
    <Table caption="Secure score per subscription">
      <HeadRow columns={["Subscription", "Score", "Points"]} numeric={["Score", "Points"]} />
      <TBody>
        {s.scoreBySubscription.map((x) => (
          <TR key={x.subscriptionId}>
            <TD className="max-w-56 truncate" title={x.subscriptionId}>
              {x.displayName}
            </TD>
            <TD className="text-right tabular font-medium">{formatPct(x.percent)}</TD>
            <TD className="text-right text-xs tabular text-muted">
              {Math.round(x.current * 100) / 100} / {x.max}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

/** /compliance: the manager's view. Filters in the URL; every number links to the view that explains it. */
export function ComplianceView() {
  const { state, get } = useSearchState();
  const query = complianceQueryOf(state);
  const standard = get("standard") ?? null;
  const control = get("control") ?? null;
  const result = useComplianceSummary(query);
  const s = result.data;
  return (
    <div className="space-y-4">
      <ComplianceFilters query={query} summary={s} standard={standard} />
      {result.isError ? (
        <ErrorState title="The compliance summary could not be loaded" error={result.error} onRetry={() => result.refetch()} />
      ) : !s ? (
        <LoadingState />
      ) : (
        <div aria-busy={result.isFetching} className={cn("space-y-4", result.isPlaceholderData && "opacity-60 transition-opacity")}>
          <Headline s={s} />
          <div className="grid gap-4 lg:grid-cols-3 print:grid-cols-1">
            <SectionCard
              id="score-title"
              className="lg:col-span-2 print:col-span-1"
              title="Secure score"
              description="Per subscription now, and over the date range (daily snapshots)."
            >
              <CardBody className="grid gap-4 md:grid-cols-[minmax(0,1fr)_auto] print:grid-cols-1">
                <ScoreTrendChart days={s.trend} />
                <ScoreBySubscription s={s} />
              </CardBody>
            </SectionCard>
            <SectionCard id="findings-title" title="Findings now">
              <CardBody>
                <dl className="grid grid-cols-2 gap-2 text-sm">
                  {(
                    [
                      ["High", s.findings.high, "text-sev-high"],
                      ["Medium", s.findings.medium, "text-sev-medium"],
                      ["Low", s.findings.low, "text-sev-low"],
                      ["Healthy", s.findings.healthy, "text-success"],
                      ["Not applicable", s.findings.notApplicable, "text-muted"],
                    ] as const
                  ).map(([label, n, tone]) => (
                    <div key={label} className="rounded border border-border px-3 py-2">
                      <dt className="text-xs text-muted">
                        {label === "Healthy" || label === "Not applicable" ? label : `Unhealthy · ${label}`}
                      </dt>
                      <dd className={cn("text-lg font-semibold tabular", tone)}>{formatCount(n)}</dd>
                    </div>
                  ))}
                </dl>
              </CardBody>
            </SectionCard>
          </div>
          <div className="grid gap-4 lg:grid-cols-2 print:grid-cols-1">
            <Card>
              <CardBody>
                <SeverityTrendChart days={s.trend} />
              </CardBody>
            </Card>
            <Card>
              <CardBody>
                <CoverageTrendChart days={s.trend} />
              </CardBody>
            </Card>
          </div>
          <ScoreControlsPanel subscriptionId={s.subscriptionId} />
          <StandardsPanel standards={s.standards} standard={standard} control={control} subscriptionId={s.subscriptionId} />
          <SlaTables sla={s.sla} />
        </div>
      )}
    </div>
  );
}
