"use client";
import Link from "next/link";
import { Download } from "lucide-react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { SectionCard } from "@/components/ui/card";
import { DateCell } from "@/components/ui/date-time";
import { BeforeAfter, DetailsTH, ExpandableRow, useOpenRow } from "@/components/ui/details-row";
import { choices } from "@/components/ui/choices";
import { AddressListTable, AddressSearch, AddressSelect, FilterBar, useListAddress } from "@/components/ui/list-view";
import { EmptyState } from "@/components/ui/states";
import { TD } from "@/components/ui/table";
import { syncEventsCsvUrl } from "@/lib/queries/sync-runs/api";
import { useSyncEvents } from "@/lib/queries/sync-runs/use-sync-runs";
import { SYNC_ACTION_LABEL, SYNC_ACTIONS, type TSyncAction, type TSyncEventDto } from "@/lib/schemas/sync-runs";
import { changesOf, showValue } from "./format";
import { syncEventFiltersOf } from "./sync-filters";

const ACTION_TONE: Partial<Record<TSyncAction, BadgeTone>> = {
  created: "success",
  resolved: "success",
  linked: "info",
  updated: "info",
  reopened: "warning",
  drift: "warning",
  skipped: "neutral",
  error: "danger",
  new_finding: "accent",
  removed: "neutral",
};

const ACTIONS = choices(SYNC_ACTIONS, (a) => SYNC_ACTION_LABEL[a]);

/** What changed, before → after, one line per field. */
function ChangeDiff({ event }: { event: TSyncEventDto }) {
  // A creation or a failure has no "before": its message says what happened; details hold the data.
  if (event.before === null || event.after === null) return null;
  const changes = changesOf(event.before, event.after);
  if (changes.length === 0) return null;
  return (
    <ul className="mt-1 space-y-0.5 text-xs">
      {changes.slice(0, 6).map((c) => (
        <li key={c.field} className="break-all">
          <span className="text-muted">{c.field}:</span> <span className="line-through decoration-muted/60">{showValue(c.before)}</span> →{" "}
          <span className="font-medium">{showValue(c.after)}</span>
        </li>
      ))}
      {changes.length > 6 ? <li className="text-muted">and {changes.length - 6} more</li> : null}
    </ul>
  );
}

const ENTITY_LABELS: Record<string, string> = {
  assessment: "Assessment",
  governance: "Governance assignment",
  governance_assignment: "Governance assignment",
  listing: "Defender listing",
  resource: "Resource",
  rule: "Rule",
  servicenow_record: "ServiceNow record",
  subscription: "Subscription",
  ticket: "Ticket",
};

/** What an event is about when it is neither a ticket nor a finding: a recommendation links to its page, others say what the id is. */
function Entity({ type, id }: { type: string; id: string | null }) {
  if (!id) return <span className="text-muted">—</span>;
  if (type === "recommendation") {
    return (
      <Link href={`/recommendations/${encodeURIComponent(id)}`} className="text-accent hover:underline">
        Open the recommendation
      </Link>
    );
  }
  const label = ENTITY_LABELS[type] ?? type.replace(/_/g, " ");
  return (
    <span className="text-muted">
      {label ? `${label} ` : ""}
      <span className="font-mono break-all">{id}</span>
    </span>
  );
}

function Links({ event }: { event: TSyncEventDto }) {
  return (
    <div className="flex flex-col gap-0.5 text-xs">
      {event.ticket ? (
        <Link href={`/tickets/${event.ticket.id}`} className="font-medium text-accent hover:underline">
          {event.ticket.number}
        </Link>
      ) : null}
      {event.finding ? (
        <Link
          href={`/findings?recommendationKey=${encodeURIComponent(event.finding.recommendationKey)}&q=${encodeURIComponent(event.finding.resourceName)}`}
          className="text-accent hover:underline"
          title={event.finding.recommendationName ?? event.finding.recommendationKey}
        >
          {event.finding.resourceName}
        </Link>
      ) : null}
      {!event.ticket && !event.finding ? <Entity type={event.entityType} id={event.entityId} /> : null}
    </div>
  );
}

/** A run's events, oldest first, with filters, paging and the CSV export of what is filtered. */
export function SyncEvents({ runId, isLive }: { runId: string; isLive: boolean }) {
  const address = useListAddress(syncEventFiltersOf);
  const { filters } = address;
  const query = useSyncEvents(runId, filters, { isLive });
  const toggle = useOpenRow();

  return (
    <SectionCard
      id="sync-events"
      title="Changes"
      description="Everything this run changed or could not change, in the order it happened."
      actions={
        // A plain link: the browser downloads the file (a Next <Link> would prefetch and route it).
        <a href={syncEventsCsvUrl(runId, filters)} download className={buttonClasses("secondary", "sm")}>
          <Download aria-hidden className="size-3.5" />
          Export CSV
        </a>
      }
    >
      <FilterBar label="Change filters">
        <AddressSelect address={address} param="action" label="Action" all="All actions" options={ACTIONS} className="w-52" />
        <AddressSearch address={address} param="q" placeholder="Message, number, record" className="w-72" />
      </FilterBar>
      <AddressListTable
        address={address}
        query={query}
        caption="Changes made by this run"
        head={[<DetailsTH key="details" />, "Time", "Action", "What changed", "Ticket / finding"]}
        row={(e) => (
          <ExpandableRow
            key={e.id}
            {...toggle(e.id)}
            columns={5}
            details={() => <BeforeAfter before={e.before} after={e.after} footer={`Event ${e.id} · ${e.entityType} ${e.entityId ?? ""}`} />}
          >
            <DateCell className="text-xs whitespace-nowrap tabular" value={e.at} format="datetime-seconds" />
            <TD>
              <Badge tone={ACTION_TONE[e.action] ?? "neutral"}>{SYNC_ACTION_LABEL[e.action]}</Badge>
              {e.action === "error" ? (
                <div className="mt-0.5 text-xs text-muted">{e.isRetryable ? "Retried by the next run" : "Not retried"}</div>
              ) : null}
            </TD>
            <TD>
              <div className="text-sm">{e.message || `${e.entityType} ${e.entityId ?? ""}`}</div>
              <ChangeDiff event={e} />
            </TD>
            <TD>
              <Links event={e} />
            </TD>
          </ExpandableRow>
        )}
        empty={
          <EmptyState
            title={isLive ? "No changes yet" : "No changes match"}
            description={isLive ? "Changes appear here as the run makes them." : undefined}
          />
        }
        itemLabel="changes"
      />
    </SectionCard>
  );
}
