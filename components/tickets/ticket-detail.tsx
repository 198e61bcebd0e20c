"use client";
import Link from "next/link";
import { useState } from "react";
import { Badge, DriftBadge, TicketStateBadge } from "@/components/ui/badge";
import { SeverityStatusCells } from "@/components/findings/cells";
import { LifecycleNotices, NotAppliedBadge, ReadyToResolveBadge } from "./lifecycle-badges";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader, SectionCard } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { OpenInLink } from "@/components/ui/external-link";
import { Fact, Facts } from "@/components/ui/facts";
import { ConfirmDialog } from "@/components/ui/dialog";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { HeadRow, Table, TBody, TD, TR } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { cn } from "@/components/ui/cn";
import { useTicket, useUnlinkFinding } from "@/lib/queries/tickets/use-tickets";
import { resourceHref } from "@/lib/schemas/resources";
import { type TTicketFinding, ticketTypeLabel } from "@/lib/schemas/tickets";
import { TicketConversation } from "./ticket-conversation";
import { TicketHistory } from "./ticket-history";

const GOVERNANCE = {
  synced: { tone: "success", label: "In Defender" },
  pending: { tone: "neutral", label: "Pending" },
  error: { tone: "danger", label: "Not in Defender yet" },
} as const;

/** ServiceNow's priority choice labels (out of the box): 2 → "2 - High". */
const PRIORITY_LABELS: Record<number, string> = { 1: "Critical", 2: "High", 3: "Moderate", 4: "Low", 5: "Planning" };
function priorityLabel(priority: number | null): string {
  if (priority === null) return "—";
  return PRIORITY_LABELS[priority] ? `${priority} - ${PRIORITY_LABELS[priority]}` : String(priority);
}

/** "Ada Admin", "the rule High SQL (automation)", "PostureDesk"; a generic phrase only when no name was recorded. */
function createdByText(type: "user" | "token" | "rule" | "system", name: string | null): string {
  if (type === "system") return "PostureDesk";
  if (type === "rule") return name ? `the rule ${name}` : "an automation rule";
  if (type === "token") return name ? `${name} (API token)` : "an API token";
  return name ?? "a person";
}

export function TicketDetail({ id, canWrite }: { id: string; canWrite: boolean }) {
  const ticket = useTicket(id);
  const unlink = useUnlinkFinding();
  const [unlinking, setUnlinking] = useState<TTicketFinding | null>(null);
  const { toast } = useToast();
  if (ticket.isPending) return <LoadingState />;
  if (ticket.isError) return <ErrorState error={ticket.error} onRetry={() => ticket.refetch()} />;
  const t = ticket.data;
  const active = t.findings.filter((f) => f.isActive);
  const past = t.findings.filter((f) => !f.isActive);

  return (
    <div className="space-y-4">
      <Card>
        <CardHeader
          title={<span className="font-mono">{t.number}</span>}
          badges={
            <>
              <TicketStateBadge state={t.state} label={t.stateLabel} />
              {t.isDrift ? <DriftBadge /> : null}
              <ReadyToResolveBadge ticket={t} />
              <NotAppliedBadge ticket={t} />
              {t.isOverdue ? <Badge tone="danger">Overdue</Badge> : null}
            </>
          }
          description={t.shortDescription}
          actions={<OpenInLink href={t.url}>Open in ServiceNow</OpenInLink>}
        />
        <CardBody>
          <Facts className="grid gap-4 sm:grid-cols-3 lg:grid-cols-6">
            <Fact label="Type">
              {ticketTypeLabel(t.table)}
              {t.changeType ? ` (${t.changeType})` : ""}
            </Fact>
            <Fact label="Priority">{priorityLabel(t.priority)}</Fact>
            <Fact label="Assigned to">{t.assignedToName ?? "Unassigned"}</Fact>
            <Fact label="Assignment group">{t.assignmentGroupName ?? "—"}</Fact>
            <Fact label="Due">
              <span className={cn(t.isOverdue && "font-medium text-danger")}>
                <DateTime value={t.dueDate} format="date" />
              </span>
            </Fact>
            <Fact label="Connection">
              {t.connection.name}
              {t.connection.isArchived ? " (archived)" : ""}
            </Fact>
          </Facts>
          <LifecycleNotices ticket={t} />
          <p className="mt-3 text-xs text-muted">
            Created <DateTime value={t.createdAt} format="date" /> by {createdByText(t.createdByType, t.createdByName)} · last synced{" "}
            <DateTime value={t.lastSyncedAt} format="date" />
            {t.correlationId ? (
              <>
                {" "}
                · correlation id <span className="font-mono">{t.correlationId}</span>
              </>
            ) : null}
          </p>
        </CardBody>
      </Card>

      <SectionCard
        id="ticket-findings"
        title={`Findings (${active.length})`}
        description="The resources this ticket tracks, with their Defender status and governance assignment."
      >
        <Table caption="Linked findings">
          <HeadRow
            columns={["Resource", "Recommendation", "Severity", "Status", "Defender governance", "Linked", "Actions"]}
            hidden={["Actions"]}
          />
          <TBody>
            {[...active, ...past].map((f) => (
              <TR key={`${f.findingId}-${f.linkedAt}`} className={f.isActive ? undefined : "opacity-60"}>
                <TD>
                  <Link href={resourceHref(f.resourceId)} className="font-medium hover:underline">
                    {f.resourceName}
                  </Link>
                  <div className="text-xs text-muted">
                    {f.resourceType}
                    {f.resourceGroup ? ` · ${f.resourceGroup}` : ""}
                  </div>
                </TD>
                <TD className="max-w-xs text-sm">{f.recommendationName}</TD>
                <SeverityStatusCells finding={f} />
                <TD className="text-xs">
                  {f.governance ? (
                    <>
                      <Badge tone={GOVERNANCE[f.governance.azureState].tone} title={f.governance.azureError ?? undefined}>
                        {GOVERNANCE[f.governance.azureState].label}
                      </Badge>
                      {f.governance.ticketNumber !== null || f.governance.ticketLink ? (
                        // Defender keeps only the digits of the number (an int32): say what it shows and where its link goes.
                        <div
                          className="mt-1 text-muted"
                          title={`Defender for Cloud shows ticket ${f.governance.ticketNumber ?? "(none)"}; its link opens ${t.number}`}
                        >
                          Defender shows{" "}
                          {f.governance.ticketLink ? (
                            <a className="underline" href={f.governance.ticketLink} target="_blank" rel="noreferrer">
                              {f.governance.ticketNumber ?? "a link"}
                            </a>
                          ) : (
                            f.governance.ticketNumber
                          )}
                          {f.governance.ticketStatus ? ` · ${f.governance.ticketStatus}` : ""}
                        </div>
                      ) : null}
                    </>
                  ) : (
                    "—"
                  )}
                </TD>
                <TD className="text-xs">
                  <DateTime value={f.linkedAt} format="date" />
                  {f.isActive ? null : (
                    <div className="text-muted">
                      Unlinked <DateTime value={f.unlinkedAt} format="date" />
                      {f.unlinkReason ? ` — ${f.unlinkReason}` : ""}
                    </div>
                  )}
                </TD>
                <TD className="text-right">
                  {canWrite && f.isActive ? (
                    <Button size="sm" variant="ghost" onClick={() => setUnlinking(f)} aria-label={`Unlink ${f.resourceName}`}>
                      Unlink
                    </Button>
                  ) : null}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </SectionCard>

      <TicketConversation ticketId={t.id} canWrite={canWrite} />

      <TicketHistory entries={t.history} />

      <ConfirmDialog
        item={unlinking}
        onClose={() => setUnlinking(null)}
        title="Unlink this finding?"
        description={(f) => `${f.resourceName} will no longer be tracked by ${t.number}.`}
        action="Unlink"
        isPending={unlink.isPending}
        onConfirm={(f) =>
          unlink.mutate(
            { ticketId: t.id, findingId: f.findingId },
            {
              onSuccess: () => {
                toast({ tone: "success", title: "Finding unlinked" });
                setUnlinking(null);
              },
              onError: (e) => toast({ tone: "error", title: "Could not unlink", description: e.message }),
            },
          )
        }
      >
        <p className="text-sm text-muted">
          The ServiceNow ticket is not changed. The finding&apos;s Defender governance assignment keeps its owner and due date but no longer
          names the ticket.
        </p>
      </ConfirmDialog>
    </div>
  );
}
