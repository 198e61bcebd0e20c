"use client";
import Link from "next/link";
import { useCanOpen } from "@/components/shell/viewer";
import { useState } from "react";
import { ExternalIdLink } from "@/components/ui/external-link";
import { CreateTicketDialog } from "@/components/tickets/create-ticket-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CardBody, SectionCard } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { HeadRow, Pagination, Table, TBody, TD, TH, THead, TR, usePaging } from "@/components/ui/table";
import { useCcCoverage, useCcTasks } from "@/lib/queries/compliance-cc/use-compliance-cc";
import { type TCcFilter } from "@/lib/schemas/compliance-cc";

const findingsHref = (cc: TCcFilter, subscriptionId?: string) =>
  `/findings?cc=${cc}${subscriptionId ? `&subscriptionId=${encodeURIComponent(subscriptionId)}` : ""}`;

/** The counts of a subscription that open its findings: their colour and what their link says. */
const COUNTED = {
  gap: { tone: "text-danger", what: "findings without a failed CC result in" },
  disagree: { tone: "text-warning", what: "findings failed in CC but healthy in" },
} as const;

/** A subscription's gap or disagreement count, linking to those findings (0: plain). */
function Count({
  n,
  cc,
  subscription: s,
}: {
  n: number;
  cc: keyof typeof COUNTED;
  subscription: { subscriptionId: string; subscriptionName: string | null };
}) {
  if (n === 0) return <span className="text-muted">0</span>;
  return (
    <Link
      href={findingsHref(cc, s.subscriptionId)}
      className={cn("font-medium tabular hover:underline", COUNTED[cc].tone)}
      aria-label={`${n} ${COUNTED[cc].what} ${s.subscriptionName ?? s.subscriptionId}: show the findings`}
    >
      {n.toLocaleString("en")}
    </Link>
  );
}

function Stat({ label, value, hint, href }: { label: string; value: string; hint: string; href?: string }) {
  return (
    <div className="rounded border border-border p-3">
      <div className="text-xs text-muted">{label}</div>
      <div className="text-xl font-semibold tabular">
        {href ? (
          <Link href={href} className="hover:underline">
            {value}
          </Link>
        ) : (
          value
        )}
      </div>
      <div className="text-xs text-muted">{hint}</div>
    </div>
  );
}

/** Configuration Compliance coverage per subscription, and the remediation tasks ServiceNow made. */
export function CcView({ canCreateTickets }: { canCreateTickets: boolean }) {
  const canOpen = useCanOpen();
  const paging = usePaging();
  const [q, setQ] = useState("");
  const taskPaging = usePaging();
  const [ticketFor, setTicketFor] = useState<string[] | null>(null);
  const coverage = useCcCoverage({ page: paging.page, pageSize: paging.pageSize, q: q.trim() || undefined });
  const tasks = useCcTasks({ page: taskPaging.page, pageSize: taskPaging.pageSize, state: "open" });
  const data = coverage.data;

  if (coverage.isError)
    return <ErrorState title="Configuration Compliance could not be loaded" error={coverage.error} onRetry={() => coverage.refetch()} />;
  const totals = data?.totals;
  return (
    <div className="space-y-4">
      <SectionCard
        id="cc-sources"
        title="Source"
        description="ServiceNow's own Microsoft Defender for Cloud integration imports these test results; PostureDesk reads them on every sync and matches them to Defender findings (resource id and assessment)."
      >
        <CardBody>
          {data && data.connections.length === 0 ? (
            <p className="text-sm text-muted">
              No ServiceNow connection reads Configuration Compliance. An admin can turn it on under{" "}
              {canOpen("/connections") ? (
                <Link href="/connections" className="text-accent underline">
                  Connections
                </Link>
              ) : (
                "Connections"
              )}
              .
            </p>
          ) : (
            <ul className="space-y-1 text-sm">
              {data?.connections.map((c) => (
                <li key={c.id}>
                  <span className="font-medium">{c.name}</span>
                  {": "}
                  {c.lastDeliveryAt ? (
                    <>
                      integration last delivered <DateTime value={c.lastDeliveryAt} />
                    </>
                  ) : (
                    <span className="text-warning">no test result from the Defender integration yet</span>
                  )}
                  {c.lastReadAt ? (
                    <span className="text-muted">
                      {" · read "}
                      <DateTime value={c.lastReadAt} />
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          {totals ? (
            <div className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
              <Stat
                label="Unhealthy findings"
                value={totals.unhealthy.toLocaleString("en")}
                hint={`${totals.covered.toLocaleString("en")} with a failed CC result`}
              />
              <Stat
                label="Coverage gap"
                value={totals.gap.toLocaleString("en")}
                hint="Unhealthy in Defender, no failed CC result"
                href={findingsHref("gap")}
              />
              <Stat
                label="Disagreement"
                value={totals.disagree.toLocaleString("en")}
                hint="Failed in CC, healthy in Defender"
                href={findingsHref("disagree")}
              />
              <Stat
                label="Open remediation tasks"
                value={totals.tasks.toLocaleString("en")}
                hint={`${totals.results.toLocaleString("en")} test results read`}
              />
            </div>
          ) : null}
        </CardBody>
      </SectionCard>

      <SectionCard
        id="cc-subscriptions"
        title="Coverage per subscription"
        description="A gap means ServiceNow's Defender integration is missing, behind, or not scoped to the subscription. Select a count to see its findings."
        actions={
          <label className="flex items-center gap-2 text-xs">
            <span className="text-muted">Filter</span>
            <input
              type="search"
              value={q}
              onChange={(e) => {
                setQ(e.target.value);
                paging.onPage(1);
              }}
              placeholder="Subscription name or id"
              className="rounded border border-border bg-bg px-2 py-1 text-sm"
              aria-label="Filter subscriptions"
            />
          </label>
        }
      >
        <div className={cn(coverage.isPlaceholderData && "opacity-60")}>
          <Table caption="Configuration Compliance coverage per subscription">
            <HeadRow
              columns={["Subscription", "Unhealthy", "Failed in CC", "Coverage", "Gap", "Disagreement"]}
              numeric={["Unhealthy", "Failed in CC", "Coverage", "Gap", "Disagreement"]}
            />
            <TBody>
              {coverage.isPending ? (
                <SkeletonRows columns={6} rows={5} />
              ) : (
                data?.subscriptions.items.map((s) => (
                  <TR key={s.subscriptionId}>
                    <TD className="max-w-xs">
                      <div className="truncate font-medium">{s.subscriptionName ?? s.subscriptionId}</div>
                      <div className="truncate font-mono text-xs text-muted">{s.subscriptionId}</div>
                    </TD>
                    <TD className="text-right tabular">{s.unhealthy.toLocaleString("en")}</TD>
                    <TD className="text-right tabular">{s.covered.toLocaleString("en")}</TD>
                    <TD className="text-right tabular">{s.coveragePct === null ? "—" : `${s.coveragePct}%`}</TD>
                    <TD className="text-right">
                      <Count n={s.gap} cc="gap" subscription={s} />
                    </TD>
                    <TD className="text-right">
                      <Count n={s.disagree} cc="disagree" subscription={s} />
                    </TD>
                  </TR>
                ))
              )}
            </TBody>
          </Table>
          {data && data.subscriptions.total === 0 ? <EmptyState title="No subscription with findings" /> : null}
          {data ? <Pagination {...paging} total={data.subscriptions.total} itemLabel="subscriptions" /> : null}
        </div>
      </SectionCard>

      <SectionCard
        id="cc-tasks"
        title="Open remediation tasks"
        description="Made in ServiceNow by its remediation task rules. A task's findings can be tracked by an ITSM ticket too."
      >
        {tasks.isError ? (
          <ErrorState title="Remediation tasks could not be loaded" error={tasks.error} onRetry={() => tasks.refetch()} />
        ) : (
          <div className={cn(tasks.isPlaceholderData && "opacity-60")}>
            <Table caption="Open remediation tasks">
              <THead>
                <tr>
                  <TH>Task</TH>
                  <TH>State</TH>
                  <TH>Assignment group</TH>
                  <TH className="text-right">Findings</TH>
                  <TH className="text-right">Unhealthy</TH>
                  {canCreateTickets ? (
                    <TH>
                      <span className="sr-only">Actions</span>
                    </TH>
                  ) : null}
                </tr>
              </THead>
              <TBody>
                {tasks.isPending ? (
                  <SkeletonRows columns={canCreateTickets ? 6 : 5} rows={3} />
                ) : (
                  tasks.data?.items.map((t) => (
                    <TR key={t.id}>
                      <TD className="max-w-sm">
                        <ExternalIdLink href={t.url} id={t.number} label={`${t.number} in ServiceNow`} />
                        <div className="truncate text-xs text-muted" title={t.shortDescription ?? undefined}>
                          {t.shortDescription ?? ""} · {t.connectionName}
                        </div>
                      </TD>
                      <TD>
                        <Badge tone={t.state === "Closed" ? "neutral" : t.state === "Resolved" ? "success" : "info"}>{t.state}</Badge>
                      </TD>
                      <TD className="text-xs">{t.assignmentGroup ?? "—"}</TD>
                      <TD className="text-right tabular">{t.findings}</TD>
                      <TD className="text-right tabular">{t.unhealthy}</TD>
                      {canCreateTickets ? (
                        <TD className="text-right">
                          <Button
                            size="sm"
                            disabled={t.findingIds.length === 0}
                            onClick={() => setTicketFor(t.findingIds)}
                            aria-label={`Create ticket for the findings of ${t.number}`}
                          >
                            Create ticket
                          </Button>
                        </TD>
                      ) : null}
                    </TR>
                  ))
                )}
              </TBody>
            </Table>
            {tasks.data && tasks.data.total === 0 ? (
              <EmptyState
                title="No open remediation task"
                description="ServiceNow has not grouped any failed test result into a task, or every task is closed."
              />
            ) : null}
            {tasks.data && tasks.data.total > 0 ? <Pagination {...taskPaging} total={tasks.data.total} itemLabel="tasks" /> : null}
          </div>
        )}
      </SectionCard>
      <CreateTicketDialog open={ticketFor !== null} findingIds={ticketFor ?? []} onClose={() => setTicketFor(null)} />
    </div>
  );
}
