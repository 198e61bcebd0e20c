"use client";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DateCell } from "@/components/ui/date-time";
import { BeforeAfter, DetailsTH, ExpandableRow, useOpenRow } from "@/components/ui/details-row";
import { AddressListTable, AddressSearch, AddressSelect, FilterBar, useListAddress } from "@/components/ui/list-view";
import { EmptyState } from "@/components/ui/states";
import { TD } from "@/components/ui/table";
import { useAudit } from "@/lib/queries/audit/use-audit";
import { auditFiltersOf } from "./audit-filters";
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
  const address = useListAddress(auditFiltersOf);
  const query = useAudit(address.filters);
  const toggle = useOpenRow();

  return (
    <Card>
      <FilterBar label="Audit filters">
        <AddressSelect address={address} param="action" label="Action" options={ACTIONS} className="w-56" />
        <AddressSearch address={address} param="actor" label="Actor" placeholder="Name or id" className="w-56" />
        <AddressSearch address={address} param="targetId" label="Target id" placeholder="Ticket, rule, connection…" className="w-72" />
      </FilterBar>
      <AddressListTable
        address={address}
        query={query}
        caption="Audit log entries"
        head={[<DetailsTH key="details" />, "Time", "Actor", "Action", "Target"]}
        row={(e) => (
          <ExpandableRow
            key={e.id}
            {...toggle(e.id)}
            columns={5}
            details={() => <BeforeAfter before={e.before} after={e.after} footer={`Request ${e.requestId ?? "—"} · IP ${e.ip ?? "—"}`} />}
          >
            <DateCell className="whitespace-nowrap tabular" value={e.at} format="datetime-seconds" />
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
          </ExpandableRow>
        )}
        empty={<EmptyState title="No audit entries match these filters" />}
        itemLabel="entries"
      />
    </Card>
  );
}
