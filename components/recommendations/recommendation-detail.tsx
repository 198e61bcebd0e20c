"use client";
import Link from "next/link";
import { RecommendationVulnerabilities } from "@/components/vulnerabilities/recommendation-vulnerabilities";
import { Badge, SeverityBadge } from "@/components/ui/badge";
import { CardBody, SectionCard } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { OpenInLink } from "@/components/ui/external-link";
import { Fact, Facts } from "@/components/ui/facts";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { StatTile } from "@/components/ui/stat";
import { AddressedFindingsTable, useAddressedFindings } from "@/components/findings/findings-table";
import { formatCount } from "@/lib/format/number";
import { useRecommendation } from "@/lib/queries/recommendations/use-recommendations";
import { type TRecommendationDetail, type TRecommendationFacets } from "@/lib/schemas/recommendations";
import { formatPercent, threatLabel } from "./format";
import { WorkspaceFilters } from "./workspace-filters";

function About({ rec }: { rec: TRecommendationDetail }) {
  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <SectionCard id="about-heading" className="lg:col-span-2" title="Description and remediation">
        <CardBody className="space-y-4">
          <section aria-labelledby="description-heading">
            <h3 id="description-heading" className="text-xs font-semibold tracking-wide text-muted uppercase">
              Description
            </h3>
            <p className="mt-1 text-sm whitespace-pre-line">
              {rec.description || "Defender gives no description for this recommendation."}
            </p>
          </section>
          <section aria-labelledby="remediation-heading">
            <h3 id="remediation-heading" className="text-xs font-semibold tracking-wide text-muted uppercase">
              Remediation steps
            </h3>
            <p className="mt-1 text-sm whitespace-pre-line">{rec.remediation || "No remediation steps were provided."}</p>
          </section>
        </CardBody>
      </SectionCard>
      <SectionCard id="impact-heading" title="Threats and impact">
        <CardBody>
          <Facts className="space-y-3" strongLabels>
            <Fact label="Threats">
              {rec.threats.length ? (
                <span className="flex flex-wrap gap-1">
                  {rec.threats.map((t) => (
                    <Badge key={t}>{threatLabel(t)}</Badge>
                  ))}
                </span>
              ) : (
                "—"
              )}
            </Fact>
            <Fact label="User impact">{rec.userImpact ?? "—"}</Fact>
            <Fact label="Implementation effort">{rec.implementationEffort ?? "—"}</Fact>
            <Fact label="Categories">{rec.categories.join(", ") || "—"}</Fact>
            <Fact label="Assessment">
              {rec.assessmentType ?? "—"} · <span className="font-mono text-xs">{rec.key}</span>
            </Fact>
            {rec.policyDefinitionId ? (
              <Fact label="Azure Policy definition">
                <span className="font-mono text-xs break-all">{rec.policyDefinitionId}</span>
              </Fact>
            ) : null}
          </Facts>
        </CardBody>
      </SectionCard>
    </div>
  );
}

/**
 * /recommendations/[key]: what the recommendation is, how to fix it, and its affected resources with
 * their tickets; rows are selectable and host the ticket feature's actions.
 */
export function RecommendationDetailView({
  recKey,
  facets,
  canWrite,
}: {
  recKey: string;
  facets: TRecommendationFacets;
  canWrite: boolean;
}) {
  const detail = useRecommendation(recKey);
  const list = useAddressedFindings({ recommendationKey: recKey });
  const { state, update } = list;

  if (detail.isPending) return <LoadingState label="Loading the recommendation…" />;
  if (detail.isError)
    return <ErrorState title="This recommendation could not be loaded" error={detail.error} onRetry={() => detail.refetch()} />;
  const rec = detail.data;
  return (
    <>
      <PageHeader
        breadcrumb={
          <Link href="/recommendations" className="hover:underline">
            Recommendations
          </Link>
        }
        title={rec.displayName}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <SeverityBadge severity={rec.severity} />
            {rec.isPreview ? <Badge>Preview</Badge> : null}
            {rec.isPlaceholder ? <Badge tone="warning">Defender returned no metadata</Badge> : null}
            <span>{rec.categories.join(" · ")}</span>
          </span>
        }
        actions={<OpenInLink href={rec.portalUrl}>Open in the Azure portal</OpenInLink>}
      />
      <div className="space-y-4">
        <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
          <StatTile
            label="Unhealthy resources"
            value={formatCount(rec.unhealthy)}
            tone={rec.unhealthy > 0 ? "danger" : undefined}
            hint={`of ${formatCount(rec.total)}`}
          />
          <StatTile label="Healthy" value={formatCount(rec.healthy)} tone="success" />
          <StatTile label="Not applicable" value={formatCount(rec.notApplicable)} />
          <StatTile
            label="Ticket coverage"
            value={formatPercent(rec.coverage)}
            hint={`${rec.tickets.open} open · ${rec.tickets.none} without ticket`}
          />
          <StatTile label="Owner" value={<span className="block truncate text-base">{rec.owner ?? "—"}</span>} />
          <StatTile
            label="Nearest due"
            value={
              <span className="text-base">
                <DateTime value={rec.nearestDueAt} format="date" />
              </span>
            }
            tone={rec.isOverdue ? "danger" : undefined}
            hint={rec.isOverdue ? "Overdue" : undefined}
          />
        </div>
        <About rec={rec} />
        <RecommendationVulnerabilities
          recKey={recKey}
          activeCve={typeof state.cve === "string" ? state.cve : null}
          onCve={(cve) => update({ cve })}
        />
        <SectionCard
          id="resources-heading"
          title="Affected resources"
          description={`${formatCount(rec.total)} resources in ${rec.subscriptions.length} subscription${rec.subscriptions.length === 1 ? "" : "s"}; tickets side by side. Select unhealthy ones to create or link a ticket.`}
        >
          <WorkspaceFilters facets={facets} scope="resources" />
          <AddressedFindingsTable of={list} canWrite={canWrite} emptyTitle="No affected resource matches these filters" />
        </SectionCard>
      </div>
    </>
  );
}
