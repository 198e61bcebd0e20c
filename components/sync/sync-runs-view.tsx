"use client";
import Link from "next/link";
import { SyncStatusBadge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { capitalized, choices, type ConnectionChoice } from "@/components/ui/choices";
import { AddressConnectionSelect, AddressListTable, AddressSelect, FilterBar, useListAddress } from "@/components/ui/list-view";
import { ProgressBar } from "@/components/ui/progress";
import { EmptyState } from "@/components/ui/states";
import { TD, TH, TR } from "@/components/ui/table";
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

const STATUSES = choices(SYNC_STATUSES, capitalized);
const KINDS = choices(SYNC_KINDS, (k) => SYNC_KIND_LABEL[k]);
const TRIGGERS = choices(SYNC_TRIGGERS, (t) => SYNC_TRIGGER_LABEL[t]);

/** Every sync run, newest first; filters in the URL; refreshed every 2 s while a listed run is active. */
export function SyncRunsView({ connections }: { connections: ConnectionChoice[] }) {
  const address = useListAddress(syncRunFiltersOf);
  const query = useSyncRuns(address.filters);

  return (
    <Card>
      <FilterBar label="Sync run filters">
        <AddressConnectionSelect address={address} connections={connections} all="All connections and tenants" className="w-56" />
        <AddressSelect address={address} param="status" label="Status" all="All statuses" options={STATUSES} className="w-36" />
        <AddressSelect address={address} param="kind" label="Kind" all="All kinds" options={KINDS} className="w-56" />
        <AddressSelect address={address} param="trigger" label="Trigger" all="All triggers" options={TRIGGERS} className="w-36" />
      </FilterBar>
      <AddressListTable
        address={address}
        query={query}
        caption="Sync runs"
        head={[
          "Queued",
          "Run",
          "Connection or tenant",
          "Status",
          "Progress and changes",
          <TH key="duration" className="text-right">
            Duration
          </TH>,
        ]}
        row={(run) => (
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
        )}
        empty={
          <EmptyState
            title="No sync runs match these filters"
            description="Runs appear here when a connection or tenant syncs: on schedule, on demand, or from a ServiceNow webhook."
          />
        }
        itemLabel="runs"
      />
    </Card>
  );
}
