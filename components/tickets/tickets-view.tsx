"use client";
import Link from "next/link";
import { Ticket } from "lucide-react";
import { Badge, DriftBadge, TicketStateBadge } from "@/components/ui/badge";
import { NotAppliedBadge, ReadyToResolveBadge } from "./lifecycle-badges";
import { Card } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { CheckboxField, SelectField } from "@/components/ui/field";
import { InvalidAddressState, pagingProblems, useLastPage } from "@/components/ui/list-query";
import { SearchField } from "@/components/ui/search-field";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { Pagination, SortableTH, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { useSearchState } from "@/components/ui/use-search-state";
import { cn } from "@/components/ui/cn";
import { formatCount } from "@/lib/format/number";
import { useTickets } from "@/lib/queries/tickets/use-tickets";
import { TICKET_STATES, TICKET_TABLES, ticketTypeLabel } from "@/lib/schemas/tickets";
import { ticketFiltersOf } from "./ticket-filters";

/** All tickets: state, type, assignee, due/overdue, linked findings, drift; URL-driven filters and paging. */
export function TicketsView({ connections }: { connections: Array<{ id: string; name: string; isArchived: boolean }> }) {
  const { state, get, update } = useSearchState();
  const filters = ticketFiltersOf(state);
  const query = useTickets(filters);
  const problems = pagingProblems(get);
  useLastPage({ update, page: filters.page, pageSize: filters.pageSize, total: query.data?.total, problems });
  const isTrue = (key: string) => get(key) === "true";

  return (
    <Card>
      <form
        className="flex flex-wrap items-end gap-3 border-b border-border p-3"
        onSubmit={(e) => e.preventDefault()}
        aria-label="Ticket filters"
      >
        <SearchField
          placeholder="Number, description, assignee"
          value={get("q") ?? ""}
          onSearch={(q, history) => update({ q }, { history })}
          containerClassName="w-64"
        />
        <SelectField label="State" value={get("state") ?? ""} onChange={(e) => update({ state: e.target.value })} containerClassName="w-36">
          <option value="">All states</option>
          {TICKET_STATES.map((s) => (
            <option key={s} value={s}>
              {s.charAt(0).toUpperCase() + s.slice(1)}
            </option>
          ))}
        </SelectField>
        <SelectField label="Type" value={get("type") ?? ""} onChange={(e) => update({ type: e.target.value })} containerClassName="w-44">
          <option value="">All types</option>
          {TICKET_TABLES.map((t) => (
            <option key={t} value={t}>
              {ticketTypeLabel(t)}
            </option>
          ))}
        </SelectField>
        {connections.length > 1 ? (
          <SelectField
            label="Connection"
            value={get("connectionId") ?? ""}
            onChange={(e) => update({ connectionId: e.target.value })}
            containerClassName="w-52"
          >
            <option value="">All connections</option>
            {connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
                {c.isArchived ? " (archived)" : ""}
              </option>
            ))}
          </SelectField>
        ) : null}
        <CheckboxField
          label="Overdue"
          checked={isTrue("overdue")}
          onChange={(e) => update({ overdue: e.target.checked ? "true" : null })}
        />
        <CheckboxField
          label="Closed, not remediated"
          checked={isTrue("drift")}
          onChange={(e) => update({ drift: e.target.checked ? "true" : null })}
        />
      </form>
      {problems.length > 0 ? (
        <InvalidAddressState problems={problems} />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : (
        <>
          <Table caption="Tickets">
            <THead>
              <tr>
                <SortableTH field="number" label="Number" sort={filters.sort} onSort={(s) => update({ sort: s })} />
                <TH>Type</TH>
                <TH>State</TH>
                <TH>Short description</TH>
                <TH>Assigned to</TH>
                <SortableTH field="dueDate" label="Due" sort={filters.sort} onSort={(s) => update({ sort: s })} />
                <TH className="text-right">Findings</TH>
                <SortableTH field="createdAt" label="Created" sort={filters.sort} onSort={(s) => update({ sort: s })} defaultDescending />
              </tr>
            </THead>
            <TBody>
              {query.isPending ? (
                <SkeletonRows columns={8} />
              ) : (
                query.data.items.map((t) => (
                  <TR key={t.id}>
                    <TD className="whitespace-nowrap">
                      <Link href={`/tickets/${t.id}`} className="font-mono text-xs font-medium text-accent hover:underline">
                        {t.number}
                      </Link>
                      {t.connection.isArchived ? <Badge className="ml-1">archived</Badge> : null}
                    </TD>
                    <TD className="text-xs whitespace-nowrap">{ticketTypeLabel(t.table)}</TD>
                    <TD>
                      <span className="flex flex-wrap gap-1">
                        <TicketStateBadge state={t.state} label={t.stateLabel} />
                        {t.isDrift ? <DriftBadge /> : null}
                        <ReadyToResolveBadge ticket={t} />
                        <NotAppliedBadge ticket={t} />
                      </span>
                    </TD>
                    <TD className="max-w-xs truncate" title={t.shortDescription}>
                      {t.shortDescription}
                    </TD>
                    <TD className="min-w-48 text-xs">
                      {t.assignedToName ?? <span className="text-muted">Unassigned</span>}
                      {t.assignmentGroupName ? <div className="text-muted">{t.assignmentGroupName}</div> : null}
                    </TD>
                    <TD className={cn("text-xs whitespace-nowrap tabular", t.isOverdue && "font-medium text-danger")}>
                      <DateTime value={t.dueDate} format="date" />
                      {t.isOverdue ? " · overdue" : ""}
                    </TD>
                    <TD className="text-right tabular">{formatCount(t.linkedFindings)}</TD>
                    <TD className="text-xs whitespace-nowrap">
                      <DateTime value={t.createdAt} format="date" />
                    </TD>
                  </TR>
                ))
              )}
            </TBody>
          </Table>
          {query.data?.total === 0 ? (
            <EmptyState
              icon={<Ticket className="size-8" />}
              title="No tickets match"
              description="Tickets appear here when analysts or rules create them from recommendations."
            />
          ) : null}
          {query.data ? (
            <Pagination
              page={filters.page}
              pageSize={filters.pageSize}
              total={query.data.total}
              onPage={(p) => update({ page: p })}
              onPageSize={(s) => update({ pageSize: s })}
              itemLabel="tickets"
            />
          ) : null}
        </>
      )}
    </Card>
  );
}
