import Link from "next/link";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { type TComplianceTicket, type TControlState } from "@/lib/schemas/compliance";

const TONE: Record<TControlState, BadgeTone> = { Failed: "danger", Passed: "success", Skipped: "neutral", Unsupported: "neutral" };

export function ControlStateBadge({ state }: { state: TControlState }) {
  return <Badge tone={TONE[state]}>{state}</Badge>;
}

/** Passed / failed / skipped as one bar (decorative: the numbers are next to it). */
export function StateBar({ passed, failed, skipped }: { passed: number; failed: number; skipped: number }) {
  const total = passed + failed + skipped;
  if (total === 0) return null;
  const w = (n: number) => `${(100 * n) / total}%`;
  return (
    <div aria-hidden className="flex h-2 w-40 overflow-hidden rounded-full bg-surface-2 print:border print:border-border">
      <div className="h-full bg-success" style={{ width: w(passed) }} />
      <div className="h-full bg-danger" style={{ width: w(failed) }} />
      <div className="h-full bg-muted/40" style={{ width: w(skipped) }} />
    </div>
  );
}

const TICKET_TONE: Record<TComplianceTicket["state"], string> = {
  open: "border-info/40 bg-info-soft text-info",
  resolved: "border-success/40 bg-success-soft text-success",
  closed: "border-border bg-surface-2 text-muted",
  canceled: "border-border bg-surface-2 text-muted",
};

/** Tickets as links to their PostureDesk pages, with ServiceNow's state and the CC tag for remediation tasks. */
export function ComplianceTicketLinks({ tickets }: { tickets: TComplianceTicket[] }) {
  if (tickets.length === 0) return <span className="text-xs text-muted">No ticket</span>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Tickets">
      {tickets.map((t) => (
        <li key={t.id}>
          <Link
            href={`/tickets/${t.id}`}
            title={`${t.stateLabel}${t.assignedToName ? ` · ${t.assignedToName}` : ""} · covers ${t.findings} unhealthy finding${t.findings === 1 ? "" : "s"}${t.isDrift ? " · closed in ServiceNow, not remediated" : ""}`}
            className={cn(
              "inline-flex items-center gap-1 rounded border px-1.5 py-0.5 font-mono text-xs leading-none hover:underline",
              TICKET_TONE[t.state],
              (t.isDrift || t.isOverdue) && "border-warning",
            )}
          >
            {t.number}
            <span className="font-sans">{t.stateLabel}</span>
            {t.module === "cc" ? <span className="font-sans text-muted">CC</span> : null}
            {t.isOverdue ? <span className="font-sans text-danger">overdue</span> : null}
            {t.isDrift ? <span aria-label="drift">⚠</span> : null}
          </Link>
        </li>
      ))}
    </ul>
  );
}
