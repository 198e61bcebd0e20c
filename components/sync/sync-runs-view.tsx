"use client";
import Link from "next/link";
import { SyncStatusBadge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { SelectField } from "@/components/ui/field";
import { ProgressBar } from "@/components/ui/progress";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { Pagination, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { InvalidAddressState, pagingProblems, useLastPage } from "@/components/ui/list-query";
import { useSearchState } from "@/components/ui/use-search-state";
import { useSyncRuns } from "@/lib/queries/sync-runs/use-sync-runs";
import { SYNC_KIND_LABEL, SYNC_KINDS, SYNC_STATUSES, SYNC_TRIGGER_LABEL, SYNC_TRIGGERS, type TSyncRunDto } from "@/lib/schemas/sync-runs";
import { formatDuration, headlineCounts } from "./format";
import { syncRunFiltersOf } from "./sync-filters";

export function RunProgress({ run }: { run: TSyncRunDto }) {
  if (run.status === "queued") return <span className="text-xs text-muted">Waiting for a worker…</span>;
  if (run.status !== "running") return <span className="text-xs text-muted">{headlineCounts(run) || "No changes"}</span>;
  return (
    <div className="w-48">
      <ProgressBar done={run.progress.done} total={run.progress.total} label={`Progress of the ${SYNC_KIND_LABEL[run.kind]} run`} />
      <div className="mt-0.5 text-xs text-muted tabular">
        {run.phase ?? "Working"}
        {run.progress.percent !== null ? ` · ${run.progress.percent}%` : ""}
      </div>
    </div>
  );
}

/** Every sync run, newest first; filters in the URL; refreshed every 2 s while a listed run is active. */
export function SyncRunsView({ connections }: { connections: Array<{ id: string; name: string; isArchived: boolean }> }) {
  const { state, get, update } = useSearchState();
  const filters = syncRunFiltersOf(state);
  const query = useSyncRuns(filters);
  const problems = pagingProblems(get);
  useLastPage({ update, page: filters.page, pageSize: filters.pageSize, total: query.data?.total, problems });

  return (
    <Card>
      <form
        className="flex flex-wrap items-end gap-3 border-b border-border p-3"
        onSubmit={(e) => e.preventDefault()}
        aria-label="Sync run filters"
      >
        <SelectField
          label="Connection"
          value={get("connectionId") ?? ""}
          onChange={(e) => update({ connectionId: e.target.value })}
          containerClassName="w-56"
        >
          <option value="">All connections and tenants</option>
          {connections.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
              {c.isArchived ? " (archived)" : ""}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Status"
          value={get("status") ?? ""}
          onChange={(e) => update({ status: e.target.value })}
          containerClassName="w-36"
        >
          <option value="">All statuses</option>
          {SYNC_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.charAt(0).toUpperCase() + s.slice(1)}
            </option>
          ))}
        </SelectField>
        <SelectField label="Kind" value={get("kind") ?? ""} onChange={(e) => update({ kind: e.target.value })} containerClassName="w-56">
          <option value="">All kinds</option>
          {SYNC_KINDS.map((k) => (
            <option key={k} value={k}>
              {SYNC_KIND_LABEL[k]}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Trigger"
          value={get("trigger") ?? ""}
          onChange={(e) => update({ trigger: e.target.value })}
          containerClassName="w-36"
        >
          <option value="">All triggers</option>
          {SYNC_TRIGGERS.map((t) => (
            <option key={t} value={t}>
              {SYNC_TRIGGER_LABEL[t]}
            </option>
          ))}
        </SelectField>
      </form>
      {problems.length > 0 ? (
        <InvalidAddressState problems={problems} />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : (
        <>
          <Table caption="Sync runs">
            <THead>
              <tr>
                <TH>Queued</TH>
                <TH>Run</TH>
                <TH>Connection or tenant</TH>
                <TH>Status</TH>
                <TH>Progress and changes</TH>
                <TH className="text-right">Duration</TH>
              </tr>
            </THead>
            <TBody>
              {query.isPending ? (
                <SkeletonRows columns={6} />
              ) : (
                query.data.items.map((run) => (
                  <TR key={run.id}>
                    <TD className="whitespace-nowrap tabular">
                      <Link href={`/sync/${run.id}`} className="font-medium text-accent hover:underline">
                        <DateTime value={run.queuedAt} format="datetime-seconds" />
                      </Link>
                    </TD>
                    <TD>
                      <div>{SYNC_KIND_LABEL[run.kind]}</div>
                      <div className="text-xs text-muted">
                        {SYNC_TRIGGER_LABEL[run.trigger]}
                        {run.requestedBy?.name ? ` · ${run.requestedBy.name}` : ""}
                      </div>
                    </TD>
                    <TD>{run.connection?.name ?? run.azureTenant?.name ?? "—"}</TD>
                    <TD>
                      <SyncStatusBadge status={run.status} />
                    </TD>
                    <TD>
                      <RunProgress run={run} />
                    </TD>
                    <TD className="text-right tabular">{formatDuration(run.durationMs)}</TD>
                  </TR>
                ))
              )}
            </TBody>
          </Table>
          {query.data && query.data.total === 0 ? (
            <EmptyState
              title="No sync runs match these filters"
              description="Runs appear here when a connection or tenant syncs: on schedule, on demand, or from a ServiceNow webhook."
            />
          ) : null}
          {query.data ? (
            <Pagination
              page={filters.page}
              pageSize={filters.pageSize}
              total={query.data.total}
              onPage={(p) => update({ page: p })}
              onPageSize={(s) => update({ pageSize: s })}
              itemLabel="runs"
            />
          ) : null}
        </>
      )}
    </Card>
  );
}
