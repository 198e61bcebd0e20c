"use client";
import { Card } from "@/components/ui/card";
import { CveFilter } from "@/components/vulnerabilities/cve-filter";
import { AddressedFindingsTable, useAddressedFindings } from "./findings-table";
import { WorkspaceFilters } from "@/components/recommendations/workspace-filters";
import { CC_FILTER_LABEL } from "@/lib/schemas/compliance-cc";
import { type TRecommendationFacets } from "@/lib/schemas/recommendations";

/** /findings: every finding (one recommendation on one resource) with the workspace filters and its ticket. */
export function FindingsView({ facets, canWrite }: { facets: TRecommendationFacets; canWrite: boolean }) {
  const list = useAddressedFindings();
  const { query, update } = list;
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
      <AddressedFindingsTable of={list} canWrite={canWrite} showRecommendation emptyTitle="No finding matches these filters" />
    </Card>
  );
}
