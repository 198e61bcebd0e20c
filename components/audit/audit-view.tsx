"use client";
import Link from "next/link";
import { Fragment, useState } from "react";
import { ChevronDown, ChevronRight } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { SelectField } from "@/components/ui/field";
import { InvalidAddressState, pagingProblems, useLastPage } from "@/components/ui/list-query";
import { SearchField } from "@/components/ui/search-field";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { Pagination, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { useSearchState } from "@/components/ui/use-search-state";
import { useAudit } from "@/lib/queries/audit/use-audit";
import { auditActionLabel, auditActorLabel, auditTargetLabel } from "./labels";

const ACTIONS = [
  ["", "All actions"],
  ["auth.", "Sign-ins and sign-outs"],
  ["ticket.", "Tickets"],
  ["link.", "Ticket links"],
  ["connection.", "Connections"],
  ["rule.", "Rules"],
  ["sync.", "Manual syncs"],
  ["token.", "API tokens"],
] as const;

export function AuditView() {
  const { get, update } = useSearchState();
  const page = Number(get("page") ?? 1) || 1;
  const pageSize = Number(get("pageSize") ?? 50) || 50;
  const filters = { action: get("action"), actor: get("actor"), targetType: get("targetType"), targetId: get("targetId"), page, pageSize };
  const query = useAudit(filters);
  const problems = pagingProblems(get);
  useLastPage({ update, page, pageSize, total: query.data?.total, problems });
  const [open, setOpen] = useState<string | null>(null);

  return (
    <Card>
      <form
        className="flex flex-wrap items-end gap-3 border-b border-border p-3"
        onSubmit={(e) => e.preventDefault()}
        aria-label="Audit filters"
      >
        <SelectField
          label="Action"
          value={get("action") ?? ""}
          onChange={(e) => update({ action: e.target.value })}
          containerClassName="w-56"
        >
          {ACTIONS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <SearchField
          label="Actor"
          placeholder="Name or id"
          value={get("actor") ?? ""}
          onSearch={(actor, history) => update({ actor }, { history })}
          containerClassName="w-56"
        />
        <SearchField
          label="Target id"
          placeholder="Ticket, rule, connection…"
          value={get("targetId") ?? ""}
          onSearch={(targetId, history) => update({ targetId }, { history })}
          containerClassName="w-72"
        />
      </form>
      {problems.length > 0 ? (
        <InvalidAddressState problems={problems} />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : (
        <>
          <Table caption="Audit log entries">
            <THead>
              <tr>
                <TH className="w-8">
                  <span className="sr-only">Details</span>
                </TH>
                <TH>Time</TH>
                <TH>Actor</TH>
                <TH>Action</TH>
                <TH>Target</TH>
              </tr>
            </THead>
            <TBody>
              {query.isPending ? (
                <SkeletonRows columns={5} />
              ) : (
                query.data.items.map((e) => (
                  <Fragment key={e.id}>
                    <TR>
                      <TD>
                        <button
                          type="button"
                          aria-expanded={open === e.id}
                          aria-label={open === e.id ? "Hide details" : "Show details"}
                          onClick={() => setOpen(open === e.id ? null : e.id)}
                          className="rounded p-0.5 text-muted hover:text-fg"
                        >
                          {open === e.id ? <ChevronDown aria-hidden className="size-4" /> : <ChevronRight aria-hidden className="size-4" />}
                        </button>
                      </TD>
                      <TD className="whitespace-nowrap tabular">
                        <DateTime value={e.at} format="datetime-seconds" />
                      </TD>
                      <TD>
                        <span className="font-medium">{e.actorName}</span>{" "}
                        {e.actorType === "system" ? null : <Badge>{auditActorLabel(e.actorType)}</Badge>}
                      </TD>
                      <TD className="text-xs" title={e.action}>
                        {auditActionLabel(e.action)}
                      </TD>
                      <TD className="text-xs">
                        {e.targetType && !(e.targetType === "user" && e.action.startsWith("auth.")) ? (
                          <>
                            <span className="text-muted">{auditTargetLabel(e.targetType)}</span>{" "}
                            {e.targetType === "ticket" && e.targetId ? (
                              <Link href={`/tickets/${e.targetId}`} className="font-mono text-accent hover:underline">
                                Open
                              </Link>
                            ) : e.targetType === "user" ? null : (
                              <span className="font-mono">{e.targetId}</span>
                            )}
                          </>
                        ) : (
                          "—"
                        )}
                      </TD>
                    </TR>
                    {open === e.id ? (
                      <tr>
                        <td colSpan={5} className="bg-surface-2 px-4 py-3">
                          <div className="grid gap-3 md:grid-cols-2">
                            <div>
                              <p className="mb-1 text-xs font-medium text-muted">Before</p>
                              <pre className="max-h-64 overflow-auto rounded border border-border bg-surface p-2 text-xs">
                                {e.before ? JSON.stringify(e.before, null, 2) : "—"}
                              </pre>
                            </div>
                            <div>
                              <p className="mb-1 text-xs font-medium text-muted">After</p>
                              <pre className="max-h-64 overflow-auto rounded border border-border bg-surface p-2 text-xs">
                                {e.after ? JSON.stringify(e.after, null, 2) : "—"}
                              </pre>
                            </div>
                          </div>
                          <p className="mt-2 text-xs text-muted">
                            Request {e.requestId ?? "—"} · IP {e.ip ?? "—"}
                          </p>
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                ))
              )}
            </TBody>
          </Table>
          {query.data && query.data.total === 0 ? <EmptyState title="No audit entries match these filters" /> : null}
          {query.data ? (
            <Pagination
              page={page}
              pageSize={pageSize}
              total={query.data.total}
              onPage={(p) => update({ page: p })}
              onPageSize={(s) => update({ pageSize: s })}
              itemLabel="entries"
            />
          ) : null}
        </>
      )}
    </Card>
  );
}
