"use client";
import { CardBody, SectionCard } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { type TSlaRow } from "@/lib/schemas/compliance";
import { formatCount, formatHours } from "./format";

function SlaTable({ title, rows, nameLabel }: { title: string; rows: TSlaRow[]; nameLabel: string }) {
  return (
    <div className="min-w-0">
      <h3 className="mb-1 text-sm font-semibold">{title}</h3>
      {rows.length === 0 ? (
        <p className="text-xs text-muted">No tickets open or resolved in this range.</p>
      ) : (
        <Table caption={title}>
          <THead>
            <tr>
              <TH>{nameLabel}</TH>
              <TH className="text-right">Open</TH>
              <TH className="text-right">Overdue</TH>
              <TH className="text-right">Resolved</TH>
              <TH className="text-right">
                <abbr title="Mean time to remediate: created → resolved" className="no-underline">
                  MTTR
                </abbr>
              </TH>
            </tr>
          </THead>
          <TBody>
            {rows.map((r) => (
              <TR key={r.name}>
                <TD className="max-w-48 truncate" title={r.name}>
                  {r.name}
                </TD>
                <TD className="text-right tabular">{formatCount(r.open)}</TD>
                <TD className="text-right tabular">
                  {r.overdue > 0 ? <span className="font-semibold text-danger">{formatCount(r.overdue)}</span> : 0}
                </TD>
                <TD className="text-right tabular">{formatCount(r.resolved)}</TD>
                <TD className="text-right tabular">{formatHours(r.meanHoursToRemediate)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}

/** SLA of the tickets in scope: per severity, per owner and per assignment group. */
export function SlaTables({ sla }: { sla: { bySeverity: TSlaRow[]; byOwner: TSlaRow[]; byGroup: TSlaRow[] } }) {
  return (
    <SectionCard
      id="sla-title"
      className="break-inside-avoid"
      title="Remediation SLA"
      description="Open and overdue tickets now; tickets resolved within the date range and their mean time from creation to resolution."
    >
      <CardBody className="grid gap-6 lg:grid-cols-2 2xl:grid-cols-3 print:grid-cols-1">
        <SlaTable title="By severity" nameLabel="Severity" rows={sla.bySeverity} />
        <SlaTable title="By owner" nameLabel="Owner" rows={sla.byOwner} />
        <SlaTable title="By assignment group" nameLabel="Assignment group" rows={sla.byGroup} />
      </CardBody>
    </SectionCard>
  );
}
