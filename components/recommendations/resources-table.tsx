"use client";
import Link from "next/link";
import { useMemo, useState, type ReactNode } from "react";
import { ExternalIdLink } from "@/components/ui/external-link";
import { Badge, DriftBadge, FindingStatusBadge, SeverityBadge, TicketStateBadge } from "@/components/ui/badge";
import { CcCell } from "@/components/compliance-cc/cc-cell";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { DateCell, DateTime } from "@/components/ui/date-time";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { Pagination, SortableTH, Table, TBody, TD, TH, THead } from "@/components/ui/table";
import { type TCursorPage } from "@/lib/schemas/common";
import { type TFindingDto } from "@/lib/schemas/findings";
import { FindingRow, isSelectable } from "@/components/findings/cells";
import { resourceHref } from "@/lib/schemas/resources";
import { shortType } from "./format";
import { ResourceTags } from "./resource-tags";

type Query = {
  data?: TCursorPage<TFindingDto>;
  isPending: boolean;
  isError: boolean;
  error: unknown;
  isPlaceholderData: boolean;
  refetch: () => unknown;
};

export type ResourcesTableProps = {
  query: Query;
  sort: string;
  page: number;
  pageSize: number;
  onSort: (sort: string) => void;
  /** `cursor`: the keyset cursor of the next page when moving one page forward, else null (by page number). */
  onPage: (page: number, cursor: string | null) => void;
  onPageSize: (size: number) => void;
  /** The flat findings view shows which recommendation each row belongs to. */
  showRecommendation?: boolean;
  /**
   * The slot above the table for actions on the selected findings (the ticket feature's "Create ticket"
   * and "Link existing ticket"); `clear` empties the selection after an action. Without it, rows are not
   * selectable.
   */
  renderActions?: (selectedFindingIds: string[], clear: () => void) => ReactNode;
  emptyTitle?: string;
};

/** Only findings that are unhealthy and still reported can be ticketed. */

/** A ticket asked for that ServiceNow has not confirmed yet (retried), or whose retries failed. */
function TicketRequestCell({ request }: { request: NonNullable<TFindingDto["ticketRequest"]> }) {
  if (request.status === "failed") {
    return (
      <div className="space-y-0.5 text-xs">
        <Badge tone="danger">Ticket not created</Badge>
        <div className="text-muted" title={request.error ?? undefined}>
          {request.error ?? "ServiceNow refused it"} ·{" "}
          <Link href="/sync" className="hover:text-fg hover:underline">
            history
          </Link>
        </div>
      </div>
    );
  }
  return (
    <div className="space-y-0.5 text-xs">
      <Badge tone="warning">Ticket pending</Badge>
      <div className="text-muted">
        {request.attempts === 0 ? "Sending to ServiceNow" : `ServiceNow has not confirmed it · attempt ${request.attempts}`}
        {request.nextAttemptAt ? (
          <>
            {", next "}
            <DateTime value={request.nextAttemptAt} format="datetime-short" />
          </>
        ) : null}
      </div>
    </div>
  );
}

function TicketCell({ finding }: { finding: TFindingDto }) {
  const t = finding.ticket;
  if (!t && finding.ticketRequest) return <TicketRequestCell request={finding.ticketRequest} />;
  if (!t) {
    return finding.governance?.owner ? (
      <span className="text-xs text-muted" title="Defender governance assignment">
        No ticket · owner {finding.governance.owner}
        {finding.governance.dueDate ? (
          <>
            {", due "}
            <DateTime value={finding.governance.dueDate} format="date" />
          </>
        ) : null}
      </span>
    ) : (
      <span className="text-xs text-muted">No ticket</span>
    );
  }
  return (
    <div className="space-y-0.5 text-xs">
      <div className="flex flex-wrap items-center gap-1.5">
        <ExternalIdLink href={t.url} id={t.number} label={`${t.number} in ServiceNow`} className="font-medium" />
        <TicketStateBadge state={t.state} />
        {t.isDrift ? <DriftBadge /> : null}
        <Link href={`/tickets/${t.id}`} className="text-muted hover:text-fg hover:underline">
          details
        </Link>
      </div>
      <div className="text-muted">
        {t.assignee ?? t.assignmentGroup ?? "Unassigned"}
        {t.dueDate ? (
          <>
            {" · due "}
            <DateTime value={t.dueDate} format="date" className={cn(t.isOverdue && "font-medium text-danger")} />
            {t.isOverdue ? " (overdue)" : ""}
          </>
        ) : null}
        {finding.tickets.length > 1 ? ` · +${finding.tickets.length - 1} more` : ""}
      </div>
    </div>
  );
}

/** Findings (affected resources) with status, dates and the linked ticket side by side; selectable for ticket actions. */
export function ResourcesTable(props: ResourcesTableProps) {
  const { query, sort, onSort, showRecommendation = false, renderActions } = props;
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const rows = useMemo(() => query.data?.items ?? [], [query.data]);
  const selectableOnPage = rows.filter(isSelectable);
  const isAllOnPage = selectableOnPage.length > 0 && selectableOnPage.every((f) => selected.has(f.id));
  const canSelect = Boolean(renderActions);
  const columns = 7 + (showRecommendation ? 2 : 0) + (canSelect ? 1 : 0);
  const firstSeenClass = showRecommendation ? "hidden 2xl:table-cell" : undefined;
  const clear = () => setSelected(new Set());
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const togglePage = () =>
    setSelected((current) => {
      const next = new Set(current);
      for (const f of selectableOnPage) {
        if (isAllOnPage) next.delete(f.id);
        else next.add(f.id);
      }
      return next;
    });

  if (query.isError) return <ErrorState title="Resources could not be loaded" error={query.error} onRetry={() => query.refetch()} />;
  return (
    <div className={cn(query.isPlaceholderData && "opacity-60 transition-opacity")}>
      {canSelect ? (
        <div
          className="flex min-h-11 outline-none focus-visible:ring-2 focus-visible:ring-accent flex-wrap items-center gap-2 border-b border-border px-3 py-2"
          role="region"
          aria-label="Actions on selected resources"
          tabIndex={-1}
        >
          <span className="text-xs text-muted" aria-live="polite">
            {selected.size > 0 ? `${selected.size} selected` : "Select unhealthy resources to ticket them"}
          </span>
          {selected.size > 0 ? (
            <Button size="sm" variant="ghost" onClick={clear}>
              Clear selection
            </Button>
          ) : null}
          <div className="ml-auto flex flex-wrap items-center gap-2">{renderActions?.([...selected], clear)}</div>
        </div>
      ) : null}
      {/* The ticket stays in view on a laptop screen; with the recommendation column, "first seen" waits for a wide one. */}
      <Table caption="Affected resources">
        <THead>
          <tr>
            {canSelect ? (
              <TH className="w-8">
                <input
                  type="checkbox"
                  className="size-4 accent-[var(--accent)]"
                  aria-label="Select all unhealthy resources on this page"
                  checked={isAllOnPage}
                  disabled={selectableOnPage.length === 0}
                  onChange={togglePage}
                />
              </TH>
            ) : null}
            <SortableTH field="resource" label="Resource" sort={sort} onSort={onSort} />
            {showRecommendation ? <SortableTH field="recommendation" label="Recommendation" sort={sort} onSort={onSort} /> : null}
            {showRecommendation ? <SortableTH field="severity" label="Severity" sort={sort} onSort={onSort} defaultDescending /> : null}
            <SortableTH field="status" label="Status" sort={sort} onSort={onSort} />
            <TH>Ticket</TH>
            <TH title="Configuration Compliance in ServiceNow (from its Defender integration)">Config. compliance</TH>
            <SortableTH field="due" label="Due" sort={sort} onSort={onSort} />
            <SortableTH field="changed" label="Status changed" sort={sort} onSort={onSort} defaultDescending />
            <SortableTH field="firstSeen" label="First seen" sort={sort} onSort={onSort} className={firstSeenClass} />
          </tr>
        </THead>
        <TBody>
          {query.isPending ? (
            <SkeletonRows columns={columns} />
          ) : (
            rows.map((f) => {
              const type = shortType(f.resourceType);
              // Subscription-level assessments (MFA, owners, Defender plans) are on the subscription itself.
              const name = f.resourceType === "microsoft.resources/subscriptions" ? (f.subscriptionName ?? f.resourceName) : f.resourceName;
              const dueDate = f.ticket?.state === "open" ? f.ticket.dueDate : (f.governance?.dueDate ?? null);
              return (
                <FindingRow
                  key={f.id}
                  finding={f}
                  label={f.resourceName}
                  what="resources"
                  selection={canSelect ? { selected, toggle } : null}
                >
                  <TD className="max-w-xs">
                    <div className="truncate font-medium" title={f.resourceId}>
                      {/* Our page of the resource (all its findings, tags and its own Azure portal blade); the
                          assessment's portalUrl opens only the generic recommendation page. */}
                      <Link href={resourceHref(f.resourceId)} className="hover:underline">
                        {name}
                      </Link>
                      {f.removedAt ? (
                        <Badge className="ml-1">
                          Removed <DateTime value={f.removedAt} format="date" />
                        </Badge>
                      ) : null}
                      <Link
                        href={`/findings/${f.id}`}
                        className="ml-1.5 text-xs font-normal text-accent hover:underline"
                        aria-label={`Details of ${name}`}
                      >
                        Details
                      </Link>
                    </div>
                    <div className="truncate text-xs text-muted" title={f.resourceType}>
                      {type.name}
                      {f.resourceGroup ? ` · ${f.resourceGroup}` : ""} · {f.subscriptionName ?? f.subscriptionId}
                    </div>
                    <ResourceTags tags={f.tags} resourceName={name} />
                  </TD>
                  {showRecommendation ? (
                    <TD className="max-w-sm min-w-64 text-xs">
                      <Link href={`/recommendations/${f.recommendationKey}`} className="hover:underline">
                        {f.recommendationName}
                      </Link>
                    </TD>
                  ) : null}
                  {showRecommendation ? (
                    <TD>
                      <SeverityBadge severity={f.severity} />
                    </TD>
                  ) : null}
                  <TD>
                    <FindingStatusBadge status={f.status} />
                    {f.statusCause ? <div className="mt-0.5 text-xs text-muted">{f.statusCause}</div> : null}
                  </TD>
                  <TD className="min-w-48">
                    <TicketCell finding={f} />
                  </TD>
                  <TD className="min-w-36">
                    <CcCell cc={f.cc} status={f.status} />
                  </TD>
                  <TD className="text-xs whitespace-nowrap tabular">
                    {f.status === "Unhealthy" ? <DateTime value={dueDate} format="date" /> : "—"}
                  </TD>
                  <DateCell className="text-xs whitespace-nowrap tabular" value={f.statusChangedAt} format="date" />
                  <TD className={cn("text-xs whitespace-nowrap tabular", firstSeenClass)}>
                    <DateTime value={f.firstEvaluationAt ?? f.firstSeenAt} format="date" />
                  </TD>
                </FindingRow>
              );
            })
          )}
        </TBody>
      </Table>
      {query.data && query.data.total === 0 ? <EmptyState title={props.emptyTitle ?? "No resource matches these filters"} /> : null}
      {query.data ? (
        <Pagination
          page={query.data.page}
          pageSize={query.data.pageSize}
          total={query.data.total}
          totalIsLowerBound={query.data.totalIsLowerBound}
          hasNext={query.data.nextCursor !== null}
          shown={query.data.items.length}
          onPage={(page) => props.onPage(page, page === query.data!.page + 1 ? query.data!.nextCursor : null)}
          onPageSize={props.onPageSize}
          itemLabel="resources"
        />
      ) : null}
    </div>
  );
}
