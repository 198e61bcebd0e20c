"use client";
import { TicketActions } from "@/components/tickets/ticket-actions";
import { Card } from "@/components/ui/card";
import { CveFilter } from "@/components/vulnerabilities/cve-filter";
import { InvalidAddressState, schemaProblems } from "@/components/ui/list-query";
import { useSearchState } from "@/components/ui/use-search-state";
import { ResourcesTable } from "@/components/recommendations/resources-table";
import { WorkspaceFilters } from "@/components/recommendations/workspace-filters";
import { useFindings } from "@/lib/queries/findings/use-findings";
import { CC_FILTER_LABEL } from "@/lib/schemas/compliance-cc";
import { findingsQueryOf, ZFindingsQuery } from "@/lib/schemas/findings";
import { type TRecommendationFacets } from "@/lib/schemas/recommendations";

/** /findings: every finding (one recommendation on one resource) with the workspace filters and its ticket. */
export function FindingsView({ facets, canWrite }: { facets: TRecommendationFacets; canWrite: boolean }) {
  const { state, update } = useSearchState();
  const query = findingsQueryOf(state);
  const findings = useFindings(query);
  const problems = schemaProblems(ZFindingsQuery, state);
  return (
    <Card>
      <WorkspaceFilters facets={facets} scope="findings" />
      <CveFilter value={query.cve ?? null} onChange={(cve) => update({ cve })} />
      {query.cc ? (
        // The Configuration Compliance view's drill-down (/compliance/cc).
        <div className="flex flex-wrap items-center gap-2 border-b border-border px-3 py-2 text-xs" role="status">
          <span className="rounded border border-border bg-surface-2 px-1.5 py-0.5">
            Configuration Compliance: {CC_FILTER_LABEL[query.cc]}
          </span>
          <button type="button" className="text-accent hover:underline" onClick={() => update({ cc: undefined })}>
            Clear
          </button>
        </div>
      ) : null}
      {problems.length > 0 ? <InvalidAddressState problems={problems} /> : null}
      {problems.length > 0 ? null : (
        <ResourcesTable
          query={findings}
          sort={query.sort}
          page={query.page}
          pageSize={query.pageSize}
          onSort={(sort) => update({ sort })}
          onPage={(page, cursor) => update({ page, cursor })}
          onPageSize={(pageSize) => update({ pageSize })}
          showRecommendation
          renderActions={
            canWrite ? (ids, clear) => <TicketActions findingIds={ids} canWrite={canWrite} onDone={() => clear()} /> : undefined
          }
          emptyTitle="No finding matches these filters"
        />
      )}
    </Card>
  );
}
