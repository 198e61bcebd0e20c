"use client";
import { TicketActions } from "@/components/tickets/ticket-actions";
import { type AddressProblem, InvalidAddressState } from "@/components/ui/list-query";
import { type ResourcesTableProps, ResourcesTable } from "@/components/recommendations/resources-table";

/**
 * The findings of a page's address (/findings, a recommendation's affected resources): the address's
 * problems when it is invalid, else the table, paged and sorted through the address, whose selected rows a
 * writer can ticket.
 */
export function AddressedFindingsTable({
  findings,
  query,
  update,
  problems,
  canWrite,
  showRecommendation,
  emptyTitle,
}: {
  findings: ResourcesTableProps["query"];
  query: { sort: string; page: number; pageSize: number };
  update: (changes: Record<string, string | number | null>) => void;
  problems: AddressProblem[];
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
