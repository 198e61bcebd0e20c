"use client";
import { Button } from "@/components/ui/button";
import { SectionCard } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { formatCount } from "@/lib/format/number";
import { useRecommendationVulnerabilities } from "@/lib/queries/sub-assessments/use-sub-assessments";
import { KIND_LABEL, SeverityCounts, VulnerabilityCells, VulnerabilityFilters, VulnerabilityHeadCells } from "./parts";
import { useVulnerabilityFilter } from "./use-vulnerability-filter";

/**
 * The recommendation page's vulnerabilities (CVEs, failed SQL checks) across its affected resources, worst
 * first; "Show resources" filters the affected resources below to one CVE (`?cve=` in the URL, the same
 * filter as GET /api/findings?cve=). Renders nothing for recommendations without sub-assessments.
 */
export function RecommendationVulnerabilities({
  recKey,
  activeCve,
  onCve,
}: {
  recKey: string;
  activeCve: string | null;
  onCve: (cve: string | null) => void;
}) {
  const filter = useVulnerabilityFilter();
  const { q, severity } = filter;
  const query = useRecommendationVulnerabilities(recKey, { q: q.trim() || undefined, severity: severity || undefined });
  const isFiltered = q.trim() !== "" || severity !== "";
  if (query.isPending) {
    return (
      <SectionCard id="vulnerabilities-heading" title="Vulnerabilities">
        <table className="w-full" aria-busy="true" aria-label="Loading vulnerabilities">
          <tbody>
            <SkeletonRows rows={3} columns={5} />
          </tbody>
        </table>
      </SectionCard>
    );
  }
  if (query.isError) {
    return (
      <SectionCard id="vulnerabilities-heading" title="Vulnerabilities">
        <ErrorState title="The vulnerabilities could not be loaded" error={query.error} onRetry={() => query.refetch()} />
      </SectionCard>
    );
  }
  const data = query.data;
  if (data.total === 0 && !isFiltered) return null;
  return (
    <SectionCard
      id="vulnerabilities-heading"
      title="Vulnerabilities"
      description={`${formatCount(data.distinct)} distinct vulnerabilities, ${formatCount(data.total)} findings across the affected resources (Defender sub-assessments).`}
      actions={<SeverityCounts counts={data.bySeverity} label="Vulnerability findings by severity" />}
    >
      <VulnerabilityFilters label="Search vulnerabilities" placeholder="CVE id, title or check" filter={filter}>
        {activeCve ? (
          <p className="pb-2 text-xs">
            Resources below filtered to <span className="font-mono font-medium">{activeCve}</span>.{" "}
            <button type="button" className="text-accent hover:underline" onClick={() => onCve(null)}>
              Show all
            </button>
          </p>
        ) : null}
      </VulnerabilityFilters>
      {data.items.length === 0 ? (
        <EmptyState title="No vulnerability matches these filters" />
      ) : (
        <div className="max-h-[28rem] overflow-auto">
          <Table caption="Vulnerabilities of this recommendation's resources">
            <THead>
              <TR>
                <VulnerabilityHeadCells />
                <TH className="text-right">Resources</TH>
              </TR>
            </THead>
            <TBody>
              {data.items.map((v) => (
                <TR key={`${v.severity}:${v.vulnerabilityId}`}>
                  <TD className="max-w-sm">
                    <div className="truncate font-medium" title={v.displayName}>
                      {v.displayName}
                    </div>
                    <div className="text-xs text-muted">
                      <span className="font-mono">{v.vulnerabilityId}</span> · {KIND_LABEL[v.kind]}
                    </div>
                  </TD>
                  <VulnerabilityCells cves={v.cves} severity={v.severity} score={v.cvssScore} patchable={v.patchable} />
                  <TD className="text-right">
                    {v.cves[0] ? (
                      <Button
                        variant="ghost"
                        size="sm"
                        onClick={() => onCve(v.cves[0]!.id)}
                        aria-label={`Show the ${v.findings} resources with ${v.cves[0].id}`}
                      >
                        {formatCount(v.findings)}
                      </Button>
                    ) : (
                      formatCount(v.findings)
                    )}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </div>
      )}
    </SectionCard>
  );
}
