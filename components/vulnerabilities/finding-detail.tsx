"use client";
import Link from "next/link";
import { useMemo } from "react";
import { TicketActions } from "@/components/tickets/ticket-actions";
import { TicketChips } from "@/components/tickets/ticket-chips";
import { FindingStatusBadge, SeverityBadge } from "@/components/ui/badge";
import { CardBody, SectionCard } from "@/components/ui/card";
import { DateCell, DateTime } from "@/components/ui/date-time";
import { OpenInLink } from "@/components/ui/external-link";
import { Fact, Facts } from "@/components/ui/facts";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatCount } from "@/lib/format/number";
import { useFindingDetail } from "@/lib/queries/sub-assessments/use-sub-assessments";
import { type TSubAssessmentItem } from "@/lib/schemas/sub-assessments";
import { KIND_LABEL, SeverityCounts, VulnerabilityCells, VulnerabilityFilters, VulnerabilityHeadCells } from "./parts";
import { useVulnerabilityFilter } from "./use-vulnerability-filter";

function detailText(item: TSubAssessmentItem): string | null {
  const d = item.details as {
    repositoryName?: string | null;
    imageDigest?: string | null;
    imageName?: string | null;
    query?: string | null;
  };
  if (item.kind === "container") return [d.imageName ?? d.repositoryName, d.imageDigest].filter(Boolean).join(" @ ") || null;
  if (item.kind === "sql") return d.query ?? null;
  return null;
}

function matches(item: TSubAssessmentItem, q: string): boolean {
  const needle = q.trim().toLowerCase();
  if (!needle) return true;
  return [item.vulnerabilityId, item.displayName, item.category ?? "", ...item.cves.map((c) => c.id)].some((t) =>
    t.toLowerCase().includes(needle),
  );
}

/** The vulnerabilities (sub-assessments) of one finding: counts by severity, a filter, and the list, worst first. */
export function SubAssessmentsCard({
  summary,
}: {
  summary: { total: number; bySeverity: { High: number; Medium: number; Low: number }; items: TSubAssessmentItem[] };
}) {
  const filter = useVulnerabilityFilter();
  const { q, severity } = filter;
  const items = useMemo(
    () => summary.items.filter((i) => (!severity || i.severity === severity) && matches(i, q)),
    [summary.items, q, severity],
  );
  return (
    <SectionCard
      id="sub-heading"
      title="Vulnerabilities"
      description={
        summary.total > summary.items.length
          ? `${formatCount(summary.total)} vulnerabilities reported by Defender; the worst ${formatCount(summary.items.length)} are listed.`
          : `${formatCount(summary.total)} vulnerabilities reported by Defender on this resource.`
      }
      actions={<SeverityCounts counts={summary.bySeverity} label="Vulnerabilities by severity" />}
    >
      {summary.total === 0 ? (
        <EmptyState
          title="No vulnerability sub-findings"
          description="Defender reports no individual vulnerability (CVE or check) for this finding."
        />
      ) : (
        <>
          <VulnerabilityFilters label="Filter vulnerabilities" placeholder="CVE id, title, category" filter={filter}>
            <p className="pb-2 text-xs text-muted" aria-live="polite">
              {formatCount(items.length)} shown
            </p>
          </VulnerabilityFilters>
          {items.length === 0 ? (
            <EmptyState title="No vulnerability matches this filter" />
          ) : (
            <Table caption="Vulnerabilities of this finding">
              <THead>
                <TR>
                  <VulnerabilityHeadCells />
                  <TH>Published</TH>
                  <TH>Remediation</TH>
                </TR>
              </THead>
              <TBody>
                {items.map((i) => {
                  const extra = detailText(i);
                  return (
                    <TR key={i.id}>
                      <TD className="max-w-sm">
                        <div className="font-medium">{i.displayName}</div>
                        <div className="text-xs text-muted">
                          <span className="font-mono">{i.vulnerabilityId}</span> · {KIND_LABEL[i.kind]}
                          {i.category ? ` · ${i.category}` : ""}
                        </div>
                        {extra ? (
                          <div className="mt-0.5 truncate font-mono text-xs text-muted" title={extra}>
                            {extra}
                          </div>
                        ) : null}
                      </TD>
                      <VulnerabilityCells
                        cves={i.cves}
                        severity={i.severity}
                        score={i.cvss?.score ?? null}
                        version={i.cvss?.version}
                        patchable={i.patchable}
                      />
                      <DateCell className="text-xs whitespace-nowrap" value={i.publishedAt} format="date" />
                      <TD className="max-w-xs text-xs">{i.remediation ?? "—"}</TD>
                    </TR>
                  );
                })}
              </TBody>
            </Table>
          )}
        </>
      )}
    </SectionCard>
  );
}

/** /findings/[id]: one finding (a recommendation on one resource), its tickets and its vulnerabilities. */
export function FindingDetailView({ id, canWrite }: { id: string; canWrite: boolean }) {
  const query = useFindingDetail(id);
  if (query.isPending) return <LoadingState label="Loading the finding…" />;
  if (query.isError) return <ErrorState title="This finding could not be loaded" error={query.error} onRetry={() => query.refetch()} />;
  const f = query.data;
  return (
    <>
      <PageHeader
        breadcrumb={
          <span className="flex gap-1">
            <Link href="/findings" className="hover:underline">
              Findings
            </Link>
            <span aria-hidden>/</span>
            <Link href={`/recommendations/${f.recommendationKey}`} className="hover:underline">
              {f.recommendationName}
            </Link>
          </span>
        }
        title={f.resourceName}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <SeverityBadge severity={f.severity} />
            <FindingStatusBadge status={f.status} />
            <span>{f.recommendationName}</span>
          </span>
        }
        actions={
          <span className="flex items-center gap-3">
            {canWrite && f.status === "Unhealthy" && !f.removedAt ? <TicketActions findingIds={[f.id]} canWrite={canWrite} /> : null}
            {f.portalUrl ? <OpenInLink href={f.portalUrl}>Open in the Azure portal</OpenInLink> : null}
          </span>
        }
      />
      <div className="space-y-4">
        <SectionCard id="finding-heading" title="Resource and status">
          <CardBody>
            <Facts className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" strongLabels breakWords>
              <Fact label="Resource">
                <span className="font-mono text-xs">{f.resourceId}</span>
              </Fact>
              <Fact label="Subscription">{f.subscriptionName ?? f.subscriptionId}</Fact>
              <Fact label="Resource group">{f.resourceGroup ?? "—"}</Fact>
              <Fact label="Tickets">{f.tickets.length ? <TicketChips tickets={f.tickets} /> : "None"}</Fact>
              <Fact label="Status changed">
                <DateTime value={f.statusChangedAt} />
              </Fact>
              <Fact label="First seen">
                <DateTime value={f.firstEvaluationAt ?? f.firstSeenAt} />
              </Fact>
              <Fact label="Owner">{f.governance?.owner ?? "—"}</Fact>
              <Fact label="Due">
                <DateTime value={f.ticket?.dueDate ?? f.governance?.dueDate ?? null} format="date" />
              </Fact>
            </Facts>
            {f.statusDescription ? <p className="mt-3 text-sm text-muted">{f.statusDescription}</p> : null}
          </CardBody>
        </SectionCard>
        <SubAssessmentsCard summary={f.subAssessments} />
      </div>
    </>
  );
}
