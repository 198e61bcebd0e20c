"use client";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { RotateCcw } from "lucide-react";
import { SyncStatusBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CardBody, SectionCard } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { Fact, Facts } from "@/components/ui/facts";
import { ProgressBar } from "@/components/ui/progress";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { formatCount } from "@/lib/format/number";
import { syncRunKeys } from "@/lib/queries/sync-runs/keys";
import { useRetrySyncRun, useSyncRun } from "@/lib/queries/sync-runs/use-sync-runs";
import { SYNC_KIND_LABEL, SYNC_TRIGGER_LABEL, type TSyncAction, type TSyncRunDetail } from "@/lib/schemas/sync-runs";
import { countLabel, formatDuration, progressLine, tallyLabel } from "./format";
import { SyncEvents } from "./sync-events";

function Summary({ run, canRetry }: { run: TSyncRunDetail; canRetry: boolean }) {
  const retry = useRetrySyncRun();
  const router = useRouter();
  const { toast } = useToast();
  const isActive = run.status === "queued" || run.status === "running";
  const onRetry = () =>
    retry.mutate(run.id, {
      onSuccess: (answer) => {
        toast({
          tone: "success",
          title: answer.isNew ? "Sync queued" : "A sync was already queued",
          description: "It tries the failed items again.",
        });
        router.push(`/sync/${answer.runId}`);
      },
      onError: (error) => toast({ tone: "error", title: "The failed items could not be retried", description: error.message }),
    });
  const tallies = Object.entries(run.eventCounts) as Array<[TSyncAction, number]>;
  // Timings last: what changed matters more than how long each step took.
  const counts = Object.entries(run.counts).sort(([a], [b]) => Number(/timings/.test(a)) - Number(/timings/.test(b)) || a.localeCompare(b));
  return (
    <SectionCard
      id="run-summary"
      title={
        <span className="flex items-center gap-2">
          {SYNC_KIND_LABEL[run.kind]} <SyncStatusBadge status={run.status} />
        </span>
      }
      description={run.connection?.name ?? run.azureTenant?.name ?? undefined}
      actions={
        canRetry && run.canRetry ? (
          <Button onClick={onRetry} isLoading={retry.isPending} icon={<RotateCcw aria-hidden className="size-4" />}>
            Retry failed items
          </Button>
        ) : null
      }
    >
      <CardBody className="space-y-4">
        {isActive ? (
          <div aria-live="polite">
            <ProgressBar done={run.progress.done} total={run.progress.total} label="Run progress" />
            <p className="mt-1 text-xs text-muted tabular">
              {run.status === "queued" ? "Queued: waiting for a worker…" : progressLine(run.phase, run.progress)}
            </p>
          </div>
        ) : null}
        {run.error ? (
          <p role="alert" className="rounded border border-danger bg-danger-soft px-3 py-2 text-sm text-danger">
            {run.error}
          </p>
        ) : null}
        <Facts className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6" tight>
          <Fact label="Trigger">
            {SYNC_TRIGGER_LABEL[run.trigger]}
            {run.requestedBy?.name ? ` · ${run.requestedBy.name}` : ""}
          </Fact>
          <Fact label="Queued">
            <DateTime value={run.queuedAt} format="datetime-seconds" />
          </Fact>
          <Fact label="Started">
            <DateTime value={run.startedAt} format="datetime-seconds" />
          </Fact>
          <Fact label="Finished">
            <DateTime value={run.finishedAt} format="datetime-seconds" />
          </Fact>
          <Fact label="Duration">{formatDuration(run.durationMs)}</Fact>
          <Fact label="Failed items">
            {formatCount(run.errors)}
            {run.pendingRetries ? ` · ${formatCount(run.pendingRetries)} waiting for the next run` : ""}
          </Fact>
        </Facts>
        {tallies.length ? (
          <Facts className="flex flex-wrap gap-x-6 gap-y-2 border-t border-border pt-3" aria-label="Changes by action" tight>
            {tallies.map(([action, n]) => (
              <Fact key={action} label={tallyLabel(action)}>
                <span className="tabular">{formatCount(n)}</span>
              </Fact>
            ))}
          </Facts>
        ) : null}
        {counts.length ? (
          <details className="border-t border-border pt-3">
            <summary className="cursor-pointer text-xs font-medium text-muted">Details of the run ({counts.length} figures)</summary>
            <Facts className="mt-2 flex flex-wrap gap-x-6 gap-y-2" aria-label="Counts" tight>
              {counts.map(([key, n]) => (
                <Fact key={key} label={countLabel(key)}>
                  <span className="tabular">{/(^|\.)timings\./.test(key) ? formatDuration(n) : formatCount(n)}</span>
                </Fact>
              ))}
            </Facts>
          </details>
        ) : null}
      </CardBody>
    </SectionCard>
  );
}

/** One run: summary with live progress (polled every second while active), then its changes. */
export function SyncRunView({ id, canRetry }: { id: string; canRetry: boolean }) {
  const query = useSyncRun(id);
  const qc = useQueryClient();
  const status = query.data?.status;
  const previous = useRef(status);
  useEffect(() => {
    // The run just finished: read its changes once more, the last ones landed after the last poll.
    const wasActive = previous.current === "queued" || previous.current === "running";
    if (wasActive && status && status !== "queued" && status !== "running")
      void qc.invalidateQueries({ queryKey: [...syncRunKeys.all, "events", id] });
    previous.current = status;
  }, [status, id, qc]);
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  if (!query.data) return <LoadingState />;
  const run = query.data;
  return (
    <div className="space-y-4">
      <Summary run={run} canRetry={canRetry} />
      <SyncEvents runId={id} isLive={run.status === "queued" || run.status === "running"} />
    </div>
  );
}
