"use client";
import { TicketActions } from "@/components/tickets/ticket-actions";
import { InvalidAddressState, schemaProblems } from "@/components/ui/list-query";
import { useSearchState } from "@/components/ui/use-search-state";
import { ResourcesTable } from "@/components/recommendations/resources-table";
import { useFindings } from "@/lib/queries/findings/use-findings";
import { findingsQueryOf, ZFindingsQuery } from "@/lib/schemas/findings";

/** The findings the page's address asks for (`scope` narrows them, e.g. to one recommendation), with its problems. */
export function useAddressedFindings(scope: Record<string, string> = {}) {
  const { state, update } = useSearchState();
  const query = findingsQueryOf({ ...state, ...scope });
  const findings = useFindings(query);
  const problems = schemaProblems(ZFindingsQuery, state);
  return { state, update, query, findings, problems };
}

/**
 * The findings of a page's address (/findings, a recommendation's affected resources): the address's
 * problems when it is invalid, else the table, paged and sorted through the address, whose selected rows a
 * writer can ticket.
 */
export function AddressedFindingsTable({
  of: { findings, query, update, problems },
  canWrite,
  showRecommendation,
  emptyTitle,
}: {
  of: ReturnType<typeof useAddressedFindings>;
  canWrite: boolean;
  showRecommendation?: boolean;
  emptyTitle: string;
}) {
  if (problems.length > 0) return <InvalidAddressState problems={problems} />;
  return (
    <ResourcesTable
      query={findings}
      sort={query.sort}
      page={query.page}
      pageSize={query.pageSize}
      onSort={(sort) => update({ sort })}
      onPage={(page, cursor) => update({ page, cursor })}
      onPageSize={(pageSize) => update({ pageSize })}
      showRecommendation={showRecommendation}
      renderActions={canWrite ? (ids, clear) => <TicketActions findingIds={ids} canWrite={canWrite} onDone={() => clear()} /> : undefined}
      emptyTitle={emptyTitle}
    />
  );
}
