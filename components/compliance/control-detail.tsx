"use client";
import Link from "next/link";
import { SeverityBadge } from "@/components/ui/badge";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { HeadRow, Table, TBody, TD, TR } from "@/components/ui/table";
import { useComplianceControl } from "@/lib/queries/compliance/use-compliance";
import { toSearchParams } from "@/lib/queries/fetcher";
import { ComplianceTicketLinks, ControlStateBadge } from "./control-state";
import { formatCount } from "./format";

/** A control's assessments (failing first) with the unhealthy findings of each and the tickets tracking them. */
export function ControlDetail({ standard, control, subscriptionId }: { standard: string; control: string; subscriptionId: string | null }) {
  const result = useComplianceControl(standard, control, subscriptionId);
  return (
    <section aria-labelledby="control-detail-title" className="border-t border-border bg-surface-2/40 print:break-before-page">
      <h3 id="control-detail-title" className="px-4 pt-3 text-sm font-semibold">
        Control {control} of {standard}
        {result.data?.control.description ? <span className="font-normal text-muted"> — {result.data.control.description}</span> : null}
      </h3>
      {result.isPending ? (
        <LoadingState label="Loading the assessments…" />
      ) : result.isError ? (
        <ErrorState title="The assessments could not be loaded" error={result.error} onRetry={() => result.refetch()} />
      ) : (
        <Table caption={`Assessments of control ${control}`}>
          <HeadRow
            columns={["Assessment", "State", "Severity", "Failed resources", "Unhealthy findings", "With an open ticket", "Tickets"]}
            numeric={["Failed resources", "Unhealthy findings", "With an open ticket"]}
          />
          <TBody>
            {result.data.assessments.map((a) => (
              <TR key={a.name}>
                <TD className="max-w-md">
                  {a.recommendation ? (
                    <Link href={`/recommendations/${a.recommendation.key}`} className="font-medium hover:underline">
                      {a.recommendation.displayName}
                    </Link>
                  ) : (
                    <span className="font-medium">{a.description || a.name}</span>
                  )}
                  {a.recommendation && a.description && a.description !== a.recommendation.displayName ? (
                    <div className="text-xs text-muted">{a.description}</div>
                  ) : null}
                </TD>
                <TD>
                  <ControlStateBadge state={a.state} />
                </TD>
                <TD>
                  {a.recommendation ? (
                    <SeverityBadge severity={a.recommendation.severity} />
                  ) : (
                    <span className="text-xs text-muted">—</span>
                  )}
                </TD>
                <TD className="text-right tabular">{formatCount(a.failedResources)}</TD>
                <TD className="text-right tabular">
                  {a.recommendation && a.unhealthyFindings > 0 ? (
                    <Link
                      className="text-accent hover:underline"
                      href={`/recommendations/${a.recommendation.key}${toSearchParams({ status: "Unhealthy", subscriptionId })}`}
                    >
                      {formatCount(a.unhealthyFindings)}
                    </Link>
                  ) : (
                    formatCount(a.unhealthyFindings)
                  )}
                </TD>
                <TD className="text-right tabular">{formatCount(a.coveredFindings)}</TD>
                <TD>
                  <ComplianceTicketLinks tickets={a.tickets} />
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </section>
  );
}
