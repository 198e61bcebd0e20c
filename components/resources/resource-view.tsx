"use client";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader, SectionCard } from "@/components/ui/card";
import { DateCell } from "@/components/ui/date-time";
import { OpenInLink } from "@/components/ui/external-link";
import { Fact, Facts } from "@/components/ui/facts";
import { StatTile } from "@/components/ui/stat";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { Table, TBody, TD, TH, THead } from "@/components/ui/table";
import { TicketActions } from "@/components/tickets/ticket-actions";
import { TicketChips } from "@/components/tickets/ticket-chips";
import { shortType } from "@/components/recommendations/format";
import { useResource } from "@/lib/queries/resources/use-resource";
import { FindingRow, SeverityStatusCells } from "@/components/findings/cells";
import { ResourceConfigurationCompliance, ResourceVulnerabilities } from "./resource-sections";

/** /resources/{id}: one Azure resource with every Defender finding on it, their tickets, and its tags. */
export function ResourceView({ resourceId, canWrite }: { resourceId: string; canWrite: boolean }) {
  const resource = useResource(resourceId);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  if (resource.isPending) return <LoadingState />;
  if (resource.isError) return <ErrorState error={resource.error} onRetry={() => resource.refetch()} />;
  const r = resource.data;
  const unhealthy = r.counts.High + r.counts.Medium + r.counts.Low;
  const tags = Object.entries(r.tags).sort(([a], [b]) => a.localeCompare(b));
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="space-y-4">
      <Card>
        <CardHeader
          title="Azure resource"
          badges={<Badge title={r.type}>{shortType(r.type).name}</Badge>}
          description={<span className="break-all font-mono text-xs">{r.resourceId}</span>}
          actions={
            <OpenInLink href={r.portalUrl}>
              Open in Azure portal <span className="sr-only">(opens in a new tab)</span>
            </OpenInLink>
          }
        />
        <CardBody>
          <Facts className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" truncate>
            <Fact label="Type">
              <span title={r.type}>{r.type}</span>
            </Fact>
            <Fact label="Resource group">{r.resourceGroup ?? "—"}</Fact>
            <Fact label="Subscription">
              <span title={r.subscriptionId}>{r.subscriptionName ?? r.subscriptionId}</span>
            </Fact>
            <Fact label="Azure tenant">{r.tenant.name}</Fact>
          </Facts>
          <div className="mt-3">
            <h3 className="text-xs text-muted">Tags</h3>
            {tags.length === 0 ? (
              <p className="mt-1 text-sm text-muted">No tags</p>
            ) : (
              <ul className="mt-1 flex flex-wrap gap-1" aria-label="Azure tags">
                {tags.map(([k, v]) => (
                  <li key={k}>
                    <Badge title={`Azure tag ${k}`}>
                      {k}: {v || "(empty)"}
                    </Badge>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </CardBody>
      </Card>

      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <StatTile
          label="Unhealthy"
          value={unhealthy}
          tone={unhealthy > 0 ? "danger" : "success"}
          hint={`${r.counts.High} high · ${r.counts.Medium} medium · ${r.counts.Low} low`}
        />
        <StatTile label="With a ticket" value={`${r.counts.withTicket} of ${unhealthy}`} hint="unhealthy findings tracked in ServiceNow" />
        <StatTile label="Healthy" value={r.counts.healthy} />
        <StatTile label="Not applicable" value={r.counts.notApplicable} />
      </div>

      <SectionCard
        id="resource-findings"
        title={`Findings (${r.findings.length})`}
        description="Every Defender recommendation evaluated on this resource, with the tickets that track it."
        actions={
          canWrite ? <TicketActions findingIds={[...selected]} canWrite={canWrite} onDone={() => setSelected(new Set())} /> : undefined
        }
      >
        {r.findings.length === 0 ? (
          <EmptyState title="No findings" />
        ) : (
          <Table caption={`Findings on ${r.name}`}>
            <THead>
              <tr>
                {canWrite ? (
                  <TH>
                    <span className="sr-only">Select</span>
                  </TH>
                ) : null}
                <TH>Recommendation</TH>
                <TH>Severity</TH>
                <TH>Status</TH>
                <TH>Tickets</TH>
                <TH>Status changed</TH>
              </tr>
            </THead>
            <TBody>
              {r.findings.map((f) => (
                <FindingRow
                  key={f.id}
                  finding={f}
                  label={f.recommendationName}
                  what="findings"
                  selection={canWrite ? { selected, toggle } : null}
                >
                  <TD className="max-w-md">
                    <Link href={`/recommendations/${f.recommendationKey}`} className="font-medium hover:underline">
                      {f.recommendationName}
                    </Link>
                    {f.statusDescription ? (
                      <div className="truncate text-xs text-muted" title={f.statusDescription}>
                        {f.statusDescription}
                      </div>
                    ) : null}
                    {f.removedAt ? <Badge className="mt-0.5">No longer reported</Badge> : null}
                  </TD>
                  <SeverityStatusCells finding={f} />
                  <TD>
                    <TicketChips tickets={f.tickets} />
                  </TD>
                  <DateCell className="text-xs" value={f.statusChangedAt ?? f.firstSeenAt} format="date" />
                </FindingRow>
              ))}
            </TBody>
          </Table>
        )}
      </SectionCard>

      <ResourceVulnerabilities resource={r} />
      <ResourceConfigurationCompliance resource={r} />
    </div>
  );
}
