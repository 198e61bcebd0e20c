"use client";
import Link from "next/link";
import { useCanOpen } from "@/components/shell/viewer";
import { ShieldCheck } from "lucide-react";
import { Badge, SeverityBadge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { Pagination, SortableTH, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { useSearchState } from "@/components/ui/use-search-state";
import { formatCount } from "@/lib/format/number";
import { useRecommendations } from "@/lib/queries/recommendations/use-recommendations";
import {
  recommendationsQueryOf,
  ZRecommendationsQuery,
  type TRecommendationFacets,
  type TRecommendationRow,
} from "@/lib/schemas/recommendations";
import { formatPercent } from "./format";
import { WorkspaceFilters } from "./workspace-filters";
import { InvalidAddressState, schemaProblems, useLastPage } from "@/components/ui/list-query";

function Resources({ row }: { row: TRecommendationRow }) {
  const share = row.total > 0 ? row.unhealthy / row.total : 0;
  return (
    <div className="w-32">
      <div className="text-xs tabular">
        <span className={cn("font-semibold", row.unhealthy > 0 && "text-danger")}>{formatCount(row.unhealthy)}</span>
        <span className="text-muted"> / {formatCount(row.total)}</span>
      </div>
      <div className="mt-1 h-1.5 w-full overflow-hidden rounded-full bg-surface-2" aria-hidden>
        <div className="h-full rounded-full bg-danger" style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
    </div>
  );
}

function Tickets({ row }: { row: TRecommendationRow }) {
  const { open, resolved, none, drift } = row.tickets;
  if (open + resolved === 0) return <span className="text-xs text-muted">{none > 0 ? `None (${formatCount(none)} unticketed)` : "—"}</span>;
  return (
    <span className="flex flex-wrap items-center gap-1 text-xs">
      {open > 0 ? <Badge tone="info">{formatCount(open)} open</Badge> : null}
      {resolved > 0 ? <Badge tone="success">{formatCount(resolved)} resolved</Badge> : null}
      {none > 0 ? <Badge>{formatCount(none)} none</Badge> : null}
      {drift > 0 ? (
        <Badge tone="warning" title="Closed in ServiceNow while still unhealthy">
          {drift} drift
        </Badge>
      ) : null}
    </span>
  );
}

/** /recommendations: one row per recommendation; filters, search, sort and paging in the URL. */
export function RecommendationsView({ facets }: { facets: TRecommendationFacets }) {
  const { state, update } = useSearchState();
  const query = recommendationsQueryOf(state);
  const result = useRecommendations(query);
  const problems = schemaProblems(ZRecommendationsQuery, state);
  useLastPage({ update, page: query.page, pageSize: query.pageSize, total: result.data?.total, problems });
  const onSort = (sort: string) => update({ sort });
  const canOpen = useCanOpen();
  const isEmptyWorkspace = facets.subscriptions.length === 0 && facets.resourceTypes.length === 0;

  return (
    <Card>
      <WorkspaceFilters facets={facets} scope="recommendations" />
      {problems.length > 0 ? (
        <InvalidAddressState problems={problems} />
      ) : result.isError ? (
        <ErrorState title="Recommendations could not be loaded" error={result.error} onRetry={() => result.refetch()} />
      ) : (
        <div aria-busy={result.isFetching} className={cn(result.isPlaceholderData && "opacity-60 transition-opacity")}>
          <Table caption="Recommendations">
            <THead>
              <tr>
                <SortableTH field="name" label="Recommendation" sort={query.sort} onSort={onSort} />
                <SortableTH field="severity" label="Severity" sort={query.sort} onSort={onSort} defaultDescending />
                <SortableTH field="unhealthy" label="Unhealthy / total" sort={query.sort} onSort={onSort} defaultDescending />
                <TH>Tickets</TH>
                <SortableTH field="coverage" label="Coverage" sort={query.sort} onSort={onSort} />
                <TH>Owner</TH>
                <SortableTH field="due" label="Nearest due" sort={query.sort} onSort={onSort} />
              </tr>
            </THead>
            <TBody>
              {result.isPending ? (
                <SkeletonRows columns={7} />
              ) : (
                result.data.items.map((r) => (
                  <TR key={r.key}>
                    <TD className="max-w-md">
                      <Link href={`/recommendations/${r.key}`} className="font-medium hover:underline">
                        {r.displayName}
                      </Link>
                      <div className="mt-0.5 flex flex-wrap gap-1 text-xs text-muted">
                        {r.categories.join(" · ")}
                        {r.isPreview ? <Badge>Preview</Badge> : null}
                        {r.isPlaceholder ? (
                          <Badge tone="warning" title="Defender returned no metadata for this recommendation">
                            No metadata
                          </Badge>
                        ) : null}
                      </div>
                    </TD>
                    <TD>
                      <SeverityBadge severity={r.severity} />
                    </TD>
                    <TD>
                      <Resources row={r} />
                    </TD>
                    <TD>
                      <Tickets row={r} />
                    </TD>
                    <TD className="text-xs tabular">{formatPercent(r.coverage)}</TD>
                    <TD className="max-w-48 truncate text-xs" title={r.owner ?? undefined}>
                      {r.owner ?? <span className="text-muted">—</span>}
                    </TD>
                    <TD className="text-xs whitespace-nowrap tabular">
                      <DateTime value={r.nearestDueAt} format="date" /> {r.isOverdue ? <Badge tone="danger">Overdue</Badge> : null}
                    </TD>
                  </TR>
                ))
              )}
            </TBody>
          </Table>
          {result.data && result.data.total === 0 ? (
            isEmptyWorkspace ? (
              <EmptyState
                icon={<ShieldCheck className="size-8" />}
                title="No findings yet"
                description="Recommendations appear once an Azure tenant is connected and its first ingestion has run (Connections)."
                action={canOpen("/connections") ? <ButtonLink href="/connections">Open connections</ButtonLink> : undefined}
              />
            ) : (
              <EmptyState title="No recommendation matches these filters" description="Clear a filter or search for something else." />
            )
          ) : null}
          {result.data ? (
            <Pagination
              page={query.page}
              pageSize={query.pageSize}
              total={result.data.total}
              onPage={(p) => update({ page: p })}
              onPageSize={(s) => update({ pageSize: s })}
              itemLabel="recommendations"
            />
          ) : null}
        </div>
      )}
    </Card>
  );
}
