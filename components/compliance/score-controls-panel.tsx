"use client";
import Link from "next/link";
import { Fragment } from "react";
import { ChevronDown, ChevronRight } from "lucide-react";
import { SeverityBadge } from "@/components/ui/badge";
import { SectionCard } from "@/components/ui/card";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { HeadRow, Table, TBody, TD, TR } from "@/components/ui/table";
import { useSearchState } from "@/components/ui/use-search-state";
import { toSearchParams } from "@/lib/queries/fetcher";
import { useScoreControls } from "@/lib/queries/compliance/score-controls";
import { type TScoreControl } from "@/lib/schemas/score-controls";
import { formatCount, formatPct } from "./format";

function ScoreBar({ c }: { c: TScoreControl }) {
  const pct = c.max > 0 ? Math.min(100, Math.max(0, (100 * c.current) / c.max)) : 0;
  return (
    <div className="h-2 w-24 overflow-hidden rounded bg-surface-2" aria-hidden>
      <div className="h-full bg-success" style={{ width: `${pct}%` }} />
    </div>
  );
}

function Recommendations({ c, subscriptionId }: { c: TScoreControl; subscriptionId: string | null }) {
  if (c.recommendations.length === 0)
    return <p className="px-4 py-2 text-sm text-muted">Defender lists no recommendation of this control that PostureDesk knows.</p>;
  return (
    <ul className="divide-y divide-border" aria-label={`Recommendations of ${c.displayName}`}>
      {c.recommendations.map((r) => (
        <li key={r.key} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-1.5 pl-10 pr-4 text-sm">
          <SeverityBadge severity={r.severity} />
          <Link
            href={`/recommendations/${r.key}${toSearchParams({ status: "Unhealthy", subscriptionId })}`}
            className="min-w-0 flex-1 hover:underline"
          >
            {r.displayName}
          </Link>
          <span className="text-xs tabular text-muted">
            {formatCount(r.unhealthyFindings)} unhealthy · {formatCount(r.withTicket)} with a ticket
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * Secure score by control, as Defender groups it: points now and at most, the resources, and (opened) the
 * recommendations of the control. The open control lives in the URL (`scoreControl`).
 */
export function ScoreControlsPanel({ subscriptionId }: { subscriptionId: string | null }) {
  const { get, update } = useSearchState();
  const open = get("scoreControl") ?? null;
  const result = useScoreControls(subscriptionId);
  return (
    <SectionCard
      id="score-controls-title"
      className="break-inside-avoid"
      title="Secure score by control"
      description="Defender's security controls, largest possible score increase first. Open a control to see its recommendations."
    >
      {result.isPending ? (
        <LoadingState label="Loading the security controls…" />
      ) : result.isError ? (
        <ErrorState title="The security controls could not be loaded" error={result.error} onRetry={() => result.refetch()} />
      ) : result.data.controls.length === 0 ? (
        <EmptyState title="No secure score controls yet" description="They appear after a Defender ingestion of a subscription." />
      ) : (
        <Table caption="Secure score by control">
          <HeadRow
            columns={["Control", "Points", "Share of points", "Potential increase", "Unhealthy resources", "Healthy", "Recommendations"]}
            numeric={["Points", "Potential increase", "Unhealthy resources", "Healthy", "Recommendations"]}
            hidden={["Share of points"]}
          />
          <TBody>
            {result.data.controls.map((c) => {
              const isOpen = open === c.name;
              return (
                <Fragment key={c.name}>
                  <TR isSelected={isOpen}>
                    <TD>
                      <button
                        type="button"
                        className="inline-flex items-center gap-1 text-left font-medium text-accent hover:underline"
                        aria-expanded={isOpen}
                        onClick={() => update({ scoreControl: isOpen ? null : c.name }, { resetPage: false })}
                      >
                        {isOpen ? (
                          <ChevronDown aria-hidden className="size-4 shrink-0" />
                        ) : (
                          <ChevronRight aria-hidden className="size-4 shrink-0" />
                        )}
                        {c.displayName}
                      </button>
                    </TD>
                    <TD className="text-right tabular whitespace-nowrap">
                      {c.current} / {c.max}
                      <span className="ml-1 text-xs text-muted">{formatPct(c.percent)}</span>
                    </TD>
                    <TD>
                      <ScoreBar c={c} />
                    </TD>
                    <TD className="text-right tabular">{c.potentialIncrease > 0 ? `+${c.potentialIncrease}` : "—"}</TD>
                    <TD className="text-right tabular">
                      {c.unhealthyResources > 0 ? (
                        <span className="font-semibold text-danger">{formatCount(c.unhealthyResources)}</span>
                      ) : (
                        0
                      )}
                    </TD>
                    <TD className="text-right tabular">{formatCount(c.healthyResources)}</TD>
                    <TD className="text-right tabular">{c.recommendations.length}</TD>
                  </TR>
                  {isOpen ? (
                    <tr>
                      <td colSpan={7} className="bg-surface-2/40 p-0">
                        <Recommendations c={c} subscriptionId={subscriptionId} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </TBody>
        </Table>
      )}
    </SectionCard>
  );
}
