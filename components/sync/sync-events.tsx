"use client";
import Link from "next/link";
import { Fragment, useState } from "react";
import { ChevronDown, ChevronRight, Download } from "lucide-react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { SelectField } from "@/components/ui/field";
import { SearchField } from "@/components/ui/search-field";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { Pagination, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { InvalidAddressState, pagingProblems, useLastPage } from "@/components/ui/list-query";
import { useSearchState } from "@/components/ui/use-search-state";
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
  const { state, get, update } = useSearchState();
  const filters = syncEventFiltersOf(state);
  const query = useSyncEvents(runId, filters, { isLive });
  const problems = pagingProblems(get);
  useLastPage({ update, page: filters.page, pageSize: filters.pageSize, total: query.data?.total, problems });
  const [open, setOpen] = useState<string | null>(null);

  return (
    <Card aria-labelledby="sync-events">
      <CardHeader
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
      />
      <form
        className="flex flex-wrap items-end gap-3 border-b border-border p-3"
        onSubmit={(e) => e.preventDefault()}
        aria-label="Change filters"
      >
        <SelectField
          label="Action"
          value={get("action") ?? ""}
          onChange={(e) => update({ action: e.target.value })}
          containerClassName="w-52"
        >
          <option value="">All actions</option>
          {SYNC_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {SYNC_ACTION_LABEL[a]}
            </option>
          ))}
        </SelectField>
        <SearchField
          placeholder="Message, number, record"
          value={get("q") ?? ""}
          onSearch={(q, history) => update({ q }, { history })}
          containerClassName="w-72"
        />
      </form>
      {problems.length > 0 ? (
        <InvalidAddressState problems={problems} />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : (
        <>
          <Table caption="Changes made by this run">
            <THead>
              <tr>
                <TH className="w-8">
                  <span className="sr-only">Details</span>
                </TH>
                <TH>Time</TH>
                <TH>Action</TH>
                <TH>What changed</TH>
                <TH>Ticket / finding</TH>
              </tr>
            </THead>
            <TBody>
              {query.isPending ? (
                <SkeletonRows columns={5} />
              ) : (
                query.data.items.map((e) => (
                  <Fragment key={e.id}>
                    <TR>
                      <TD>
                        <button
                          type="button"
                          aria-expanded={open === e.id}
                          aria-label={open === e.id ? "Hide details" : "Show details"}
                          onClick={() => setOpen(open === e.id ? null : e.id)}
                          className="rounded p-0.5 text-muted hover:text-fg"
                        >
                          {open === e.id ? <ChevronDown aria-hidden className="size-4" /> : <ChevronRight aria-hidden className="size-4" />}
                        </button>
                      </TD>
                      <TD className="text-xs whitespace-nowrap tabular">
                        <DateTime value={e.at} format="datetime-seconds" />
                      </TD>
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
                    </TR>
                    {open === e.id ? (
                      <tr>
                        <td colSpan={5} className="bg-surface-2 px-4 py-3">
                          <div className="grid gap-3 md:grid-cols-2">
                            <div>
                              <p className="mb-1 text-xs font-medium text-muted">Before</p>
                              <pre className="max-h-64 overflow-auto rounded border border-border bg-surface p-2 text-xs">
                                {e.before === null ? "—" : JSON.stringify(e.before, null, 2)}
                              </pre>
                            </div>
                            <div>
                              <p className="mb-1 text-xs font-medium text-muted">After</p>
                              <pre className="max-h-64 overflow-auto rounded border border-border bg-surface p-2 text-xs">
                                {e.after === null ? "—" : JSON.stringify(e.after, null, 2)}
                              </pre>
                            </div>
                          </div>
                          <p className="mt-2 text-xs text-muted">
                            Event {e.id} · {e.entityType} {e.entityId ?? ""}
                          </p>
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                ))
              )}
            </TBody>
          </Table>
          {query.data && query.data.total === 0 ? (
            <EmptyState
              title={isLive ? "No changes yet" : "No changes match"}
              description={isLive ? "Changes appear here as the run makes them." : undefined}
            />
          ) : null}
          {query.data ? (
            <Pagination
              page={filters.page}
              pageSize={filters.pageSize}
              total={query.data.total}
              onPage={(p) => update({ page: p })}
              onPageSize={(s) => update({ pageSize: s })}
              itemLabel="changes"
            />
          ) : null}
        </>
      )}
    </Card>
  );
}
