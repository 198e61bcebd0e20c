"use client";
import { Badge, SeverityBadge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/states";
import { HeadRow, Pagination, Table, TBody, TD, TR } from "@/components/ui/table";
import { formatCount } from "@/lib/format/number";
import { TICKET_TYPE_LABEL } from "@/lib/schemas/connections";
import { type TDryRunResult } from "@/lib/schemas/rules";

const n = (value: number, one: string, many = `${one}s`) => `${formatCount(value)} ${value === 1 ? one : many}`;

/** What a dry run found: the summary line, who takes the other findings, and the tickets, paged. */
export function DryRunResult({
  result,
  onPage,
  onPageSize,
}: {
  result: TDryRunResult;
  onPage?: (page: number) => void;
  onPageSize?: (size: number) => void;
}) {
  const { summary } = result;
  const ownFindings = summary.matched - summary.alreadyTicketed - summary.takenByHigherPriority.reduce((s, t) => s + t.findings, 0);
  return (
    <div className="space-y-3">
      <div role="status" className="rounded-md border border-border bg-surface-2 px-3 py-2 text-sm">
        <p className="font-medium">
          Would create {n(summary.tickets, "ticket")} covering {n(summary.findings, "finding")}.
        </p>
        <p className="mt-0.5 text-xs text-muted">
          The conditions match {n(summary.matched, "unhealthy finding")}: {formatCount(summary.alreadyTicketed)} already{" "}
          {summary.alreadyTicketed === 1 ? "has" : "have"} a ticket on {result.connection.name}
          {summary.takenByHigherPriority.length ? (
            <>
              ,{" "}
              {summary.takenByHigherPriority.map((t) => `${formatCount(t.findings)} go to "${t.name}" (priority ${t.priority})`).join(", ")}
            </>
          ) : null}
          {ownFindings > 0 ? `, ${formatCount(ownFindings)} to this rule` : ""}.
        </p>
      </div>
      {result.total === 0 ? (
        <EmptyState
          title="No ticket would be created now"
          description="Every matching finding already has a ticket, is taken by a higher-priority rule, or nothing matches."
        />
      ) : (
        <>
          <Table caption="Tickets the rule would create">
            <HeadRow columns={["Ticket", "Severity", "Findings", "Assignment", "Due"]} numeric={["Findings"]} />
            <TBody>
              {result.items.map((t) => (
                <TR key={t.groupKey}>
                  <TD>
                    <div className="font-medium">{t.shortDescription}</div>
                    <div className="text-xs text-muted">
                      {TICKET_TYPE_LABEL[t.table]} · priority {t.priority}
                      {t.resources.length ? ` · ${t.resources.join(", ")}${t.findingCount > t.resources.length ? ", …" : ""}` : ""}
                    </div>
                  </TD>
                  <TD>
                    <SeverityBadge severity={t.severity} />
                  </TD>
                  <TD className="text-right tabular">{formatCount(t.findingCount)}</TD>
                  <TD className="text-xs">
                    <div>{t.assignmentGroup ?? <span className="text-muted">No group</span>}</div>
                    <div className="text-muted">{t.owner ?? "No owner"}</div>
                  </TD>
                  <TD className="text-xs whitespace-nowrap">
                    <DateTime value={t.dueDate} format="date" /> {t.gracePeriod ? <Badge tone="info">Grace period</Badge> : null}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
          {onPage ? (
            <Pagination
              page={result.page}
              pageSize={result.pageSize}
              total={result.total}
              onPage={onPage}
              onPageSize={onPageSize}
              itemLabel="tickets"
            />
          ) : null}
        </>
      )}
    </div>
  );
}
