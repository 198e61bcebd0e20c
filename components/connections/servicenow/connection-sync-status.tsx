"use client";
// A ServiceNow connection's sync at a glance (connections page): the run under way with its progress,
// the last finished run, the next scheduled run, the webhook, and "Run now" for analysts.
import Link from "next/link";
import { RefreshCw } from "lucide-react";
import { Badge, SyncStatusBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { ProgressBar } from "@/components/ui/progress";
import { useToast } from "@/components/ui/toast";
import { useConnectionSync, useRunConnectionSync } from "@/lib/queries/connection-sync/use-connection-sync";

export function ConnectionSyncStatus({ connectionId, name, canRun }: { connectionId: string; name: string; canRun: boolean }) {
  const status = useConnectionSync(connectionId);
  const run = useRunConnectionSync();
  const { toast } = useToast();
  if (status.isPending) return <span className="text-xs text-muted">…</span>;
  if (status.isError) return <span className="text-xs text-danger">Sync status unavailable</span>;
  const s = status.data;
  const active = s.activeRun;
  return (
    <div className="flex min-w-56 flex-col gap-1 text-xs" aria-label={`Sync of ${name}`}>
      {active ? (
        <div className="flex items-center gap-2">
          <Link href={`/sync/${active.id}`} className="underline-offset-2 hover:underline">
            <SyncStatusBadge status={active.status} />
          </Link>
          <ProgressBar done={active.progressDone} total={active.progressTotal} label={`Sync progress of ${name}`} className="w-24" />
          {active.status === "running" && active.phase ? <span className="text-muted">{active.phase}</span> : null}
        </div>
      ) : null}
      <div>
        Last run:{" "}
        {s.lastRun ? (
          <Link href={`/sync/${s.lastRun.id}`} className="underline-offset-2 hover:underline">
            <SyncStatusBadge status={s.lastRun.status} /> <DateTime value={s.lastRun.finishedAt} format="datetime-seconds" />
          </Link>
        ) : (
          <span className="text-muted">never</span>
        )}
      </div>
      <div>
        Next run: <DateTime value={s.nextSyncAt} format="datetime-seconds" className="tabular" />
      </div>
      <div title={s.webhook.isConfigured ? undefined : "Set a webhook secret (Edit) to receive ServiceNow changes within seconds"}>
        Webhook:{" "}
        {s.webhook.isConfigured ? (
          <Badge tone={s.webhook.lastReceivedAt ? "success" : "info"}>
            {s.webhook.lastReceivedAt ? (
              <>
                last call <DateTime value={s.webhook.lastReceivedAt} format="datetime-seconds" />
              </>
            ) : (
              "configured, no call yet"
            )}
          </Badge>
        ) : (
          <Badge>not configured</Badge>
        )}
      </div>
      {s.webhook.isConfigured ? (
        <div
          className="max-w-72 break-all font-mono text-[11px] text-muted"
          title="The address ServiceNow's REST message posts to (docs/OPERATIONS.md)"
        >
          {s.webhook.url}
        </div>
      ) : null}
      {s.pendingRetries > 0 ? <div className="text-warning">{s.pendingRetries} item(s) will be retried by the next run</div> : null}
      {canRun ? (
        <div>
          <Button
            size="sm"
            variant="secondary"
            icon={<RefreshCw aria-hidden className="size-3.5" />}
            isLoading={run.isPending}
            aria-label={`Run sync now for ${name}`}
            onClick={() =>
              run.mutate(
                { connectionId },
                {
                  onSuccess: (r) =>
                    toast({
                      tone: "success",
                      title: r.isNew ? "Sync queued" : "A sync is already queued",
                      description: `Run ${r.runId.slice(0, 8)}`,
                    }),
                  onError: (e) => toast({ tone: "error", title: "Could not start the sync", description: e.message }),
                },
              )
            }
          >
            Run now
          </Button>
        </div>
      ) : null}
    </div>
  );
}
