"use client";
import Link from "next/link";
import { Line, LineChart, ResponsiveContainer, YAxis } from "recharts";
import { Badge, SyncStatusBadge } from "@/components/ui/badge";
import { SectionCard } from "@/components/ui/card";
import { StatTile, TicketTiles } from "@/components/ui/stat";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { HeadRow, Table, TBody, TD, TR } from "@/components/ui/table";
import { describeChange, formatCount, formatPct } from "@/components/compliance/format";
import { DateCell, DateTime } from "@/components/ui/date-time";
import { useCanOpen } from "@/components/shell/viewer";
import { useOverview } from "@/lib/queries/overview/use-overview";
import { SYNC_KIND_LABEL } from "@/lib/schemas/sync-runs";
import { type TOverview } from "@/lib/schemas/overview";

/** The last 30 days of the secure score as a small line; its meaning is in the text next to it. */
function ScoreSpark({ trend }: { trend: TOverview["scoreTrend"] }) {
  const points = trend.filter((d) => d.scorePercent !== null);
  if (points.length < 2) return null;
  return (
    <div aria-hidden className="mt-2 h-10">
      <ResponsiveContainer width="100%" height={40} initialDimension={{ width: 200, height: 40 }}>
        {/* Decorative: no keyboard layer (Recharts makes the chart focusable by default, which a hidden element must not be). */}
        <LineChart data={points} margin={{ top: 4, right: 2, bottom: 4, left: 2 }} accessibilityLayer={false}>
          <YAxis hide domain={["dataMin - 2", "dataMax + 2"]} />
          <Line type="monotone" dataKey="scorePercent" stroke="var(--accent)" strokeWidth={2} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

const SEVERITIES = [
  ["High", "high"],
  ["Medium", "medium"],
  ["Low", "low"],
] as const;

function Numbers({ o }: { o: TOverview }) {
  const scored = o.scoreTrend.filter((d) => d.scorePercent !== null);
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-5">
      <Link href="/compliance" className="block rounded-lg border border-border bg-surface px-4 py-3 hover:border-accent xl:row-span-2">
        <div className="text-xs font-medium text-muted">Secure score</div>
        <div className="mt-1 text-2xl font-semibold tabular">{formatPct(o.secureScore?.percent)}</div>
        <div className="mt-0.5 text-xs text-muted">
          {scored.length >= 2
            ? describeChange("Last 30 days", scored[0]!.scorePercent, scored.at(-1)!.scorePercent, "%")
            : o.secureScore
              ? `${o.secureScore.current} of ${o.secureScore.max} points`
              : "No score yet"}
        </div>
        <ScoreSpark trend={o.scoreTrend} />
      </Link>
      <StatTile
        label="Unhealthy findings"
        value={formatCount(o.findings.unhealthy)}
        hint="all severities"
        href="/findings?status=Unhealthy"
      />
      {SEVERITIES.map(([severity, count]) => (
        <StatTile
          key={severity}
          label={`${severity} severity`}
          value={formatCount(o.findings[count])}
          hint="unhealthy findings"
          href={`/findings?status=Unhealthy&severity=${severity}`}
          tone={severity !== "High" ? undefined : o.findings.high > 0 ? "danger" : "success"}
        />
      ))}
      <StatTile
        label="Ticket coverage"
        value={formatPct(o.coverage.percent)}
        hint={`${formatCount(o.coverage.covered)} of ${formatCount(o.coverage.unhealthy)} unhealthy ticketed`}
        href="/findings?status=Unhealthy&hasTicket=false"
      />
      <TicketTiles tickets={o.tickets} driftHint="closed in ServiceNow, not remediated" />
    </div>
  );
}

function Syncs({ o }: { o: TOverview }) {
  const canOpen = useCanOpen();
  return (
    <SectionCard
      id="syncs-title"
      title="Connections"
      description="Last and next sync of each ServiceNow connection and Azure tenant."
      actions={
        canOpen("/connections") ? (
          <Link href="/connections" className="text-xs text-accent hover:underline">
            Manage
          </Link>
        ) : null
      }
    >
      {o.syncs.length === 0 ? (
        <EmptyState
          title="No connection yet"
          description="Connect an Azure tenant and a ServiceNow instance to start."
          action={
            canOpen("/connections") ? (
              <Link href="/connections" className="text-sm text-accent underline">
                Open connections
              </Link>
            ) : undefined
          }
        />
      ) : (
        <Table caption="Connections and their sync">
          <HeadRow columns={["Connection", "Last run", "Last sync", "Next sync"]} />
          <TBody>
            {o.syncs.map((s) => (
              <TR key={s.id}>
                <TD>
                  <div className="font-medium">{s.name}</div>
                  <div className="text-xs text-muted">
                    {s.kind === "azure"
                      ? "Azure tenant"
                      : `ServiceNow${s.modules.length ? ` · ${s.modules.map((m) => (m === "cc" ? "CC" : "ITSM")).join(" + ")}` : ""}`}
                  </div>
                </TD>
                <TD>
                  {s.lastRun ? (
                    <Link
                      href={`/sync/${s.lastRun.id}`}
                      className="inline-flex items-center gap-1 hover:underline"
                      title={s.lastRun.error ?? undefined}
                    >
                      <SyncStatusBadge status={s.lastRun.status} />
                      <span className="text-xs text-muted">
                        <DateTime value={s.lastRun.finishedAt ?? s.lastRun.queuedAt} format="relative" />
                      </span>
                    </Link>
                  ) : (
                    <span className="text-xs text-muted">Never run</span>
                  )}
                </TD>
                <DateCell className="text-xs tabular" value={s.lastSyncAt} format="relative" />
                <DateCell className="text-xs tabular" value={s.nextSyncAt} format="relative" />
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </SectionCard>
  );
}

function Runs({ o }: { o: TOverview }) {
  return (
    <SectionCard
      id="runs-title"
      title="Recent runs"
      actions={
        <Link href="/sync" className="text-xs text-accent hover:underline">
          Sync history
        </Link>
      }
    >
      {o.recentRuns.length === 0 ? (
        <EmptyState title="No sync has run yet" />
      ) : (
        <Table caption="Recent sync runs">
          <HeadRow columns={["Run", "Status", "Changes", "When"]} numeric={["Changes"]} />
          <TBody>
            {o.recentRuns.map((r) => (
              <TR key={r.id}>
                <TD>
                  <Link href={`/sync/${r.id}`} className="font-medium hover:underline">
                    {SYNC_KIND_LABEL[r.kind]}
                  </Link>
                  <div className="text-xs text-muted">
                    {r.source} · {r.trigger}
                  </div>
                </TD>
                <TD>
                  <span className="inline-flex items-center gap-1">
                    <SyncStatusBadge status={r.status} />
                    {r.errors > 0 ? <Badge tone="danger">{r.errors === 1 ? "1 error" : `${formatCount(r.errors)} errors`}</Badge> : null}
                  </span>
                </TD>
                <TD className="text-right tabular">{formatCount(r.changes)}</TD>
                <DateCell className="text-xs tabular" value={r.finishedAt ?? r.queuedAt} format="relative" />
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </SectionCard>
  );
}

/** `/`: the landing page for everyone; every number links to the view that explains it. */
export function OverviewView() {
  const result = useOverview();
  if (result.isError) return <ErrorState title="The overview could not be loaded" error={result.error} onRetry={() => result.refetch()} />;
  if (!result.data) return <LoadingState />;
  const o = result.data;
  return (
    <div className="space-y-4">
      <Numbers o={o} />
      <div className="grid gap-4 xl:grid-cols-2">
        <Syncs o={o} />
        <Runs o={o} />
      </div>
    </div>
  );
}
