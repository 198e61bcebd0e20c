"use client";
import Link from "next/link";
import { Ticket } from "lucide-react";
import { Badge, DriftBadge, TicketStateBadge } from "@/components/ui/badge";
import { NotAppliedBadge, ReadyToResolveBadge } from "./lifecycle-badges";
import { Card } from "@/components/ui/card";
import { DateCell, DateTime } from "@/components/ui/date-time";
import { capitalized, choices, type ConnectionChoice } from "@/components/ui/choices";
import {
  AddressCheckbox,
  AddressConnectionSelect,
  AddressListTable,
  AddressSearch,
  AddressSelect,
  FilterBar,
  useListAddress,
} from "@/components/ui/list-view";
import { EmptyState } from "@/components/ui/states";
import { SortableTH, TD, TH, TR } from "@/components/ui/table";
import { cn } from "@/components/ui/cn";
import { formatCount } from "@/lib/format/number";
import { useTickets } from "@/lib/queries/tickets/use-tickets";
import { TICKET_STATES, TICKET_TABLES, ticketTypeLabel } from "@/lib/schemas/tickets";
import { ticketFiltersOf } from "./ticket-filters";

const STATES = choices(TICKET_STATES, capitalized);
const TYPES = choices(TICKET_TABLES, ticketTypeLabel);

/** All tickets: state, type, assignee, due/overdue, linked findings, drift; URL-driven filters and paging. */
export function TicketsView({ connections }: { connections: ConnectionChoice[] }) {
  const address = useListAddress(ticketFiltersOf);
  const { filters, update } = address;
  const query = useTickets(filters);
  const sortable = { sort: filters.sort, onSort: (s: string) => update({ sort: s }) };

  return (
    <Card>
      <FilterBar label="Ticket filters">
        <AddressSearch address={address} param="q" placeholder="Number, description, assignee" className="w-64" />
        <AddressSelect address={address} param="state" label="State" all="All states" options={STATES} className="w-36" />
        <AddressSelect address={address} param="type" label="Type" all="All types" options={TYPES} className="w-44" />
        {connections.length > 1 ? (
          <AddressConnectionSelect address={address} connections={connections} all="All connections" className="w-52" />
        ) : null}
        <AddressCheckbox address={address} param="overdue" label="Overdue" />
        <AddressCheckbox address={address} param="drift" label="Closed, not remediated" />
      </FilterBar>
      <AddressListTable
        address={address}
        query={query}
        caption="Tickets"
        head={[
          <SortableTH key="number" field="number" label="Number" {...sortable} />,
          "Type",
          "State",
          "Short description",
          "Assigned to",
          <SortableTH key="due" field="dueDate" label="Due" {...sortable} />,
          <TH key="findings" className="text-right">
            Findings
          </TH>,
          <SortableTH key="created" field="createdAt" label="Created" {...sortable} defaultDescending />,
        ]}
        row={(t) => (
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
            <DateCell className="text-xs whitespace-nowrap" value={t.createdAt} format="date" />
          </TR>
        )}
        empty={
          <EmptyState
            icon={<Ticket className="size-8" />}
            title="No tickets match"
            description="Tickets appear here when analysts or rules create them from recommendations."
          />
        }
        itemLabel="tickets"
      />
    </Card>
  );
}
