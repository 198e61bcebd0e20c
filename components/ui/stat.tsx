import Link from "next/link";
import { type ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { formatCount } from "@/lib/format/number";

/** A headline number; when `href` is given the whole tile links to the view that explains it. */
export function StatTile({
  label,
  value,
  hint,
  href,
  tone,
}: {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  href?: string;
  tone?: "danger" | "warning" | "success";
}) {
  const body = (
    <>
      <div className="text-xs font-medium text-muted">{label}</div>
      <div
        className={cn(
          "mt-1 text-2xl font-semibold tabular",
          tone === "danger" && "text-danger",
          tone === "warning" && "text-warning",
          tone === "success" && "text-success",
        )}
      >
        {value}
      </div>
      {hint ? <div className="mt-0.5 text-xs text-muted">{hint}</div> : null}
    </>
  );
  const cls = "block rounded-lg border border-border bg-surface px-4 py-3";
  return href ? (
    <Link href={href} className={cn(cls, "hover:border-accent")}>
      {body}
    </Link>
  ) : (
    <div className={cls}>{body}</div>
  );
}

/** The ticket tiles of a dashboard: open, overdue and drift (closed in ServiceNow, not remediated), each linking to its tickets. */
export function TicketTiles({ tickets, driftHint }: { tickets: { open: number; overdue: number; drift: number }; driftHint: string }) {
  return (
    <>
      <StatTile label="Open tickets" value={formatCount(tickets.open)} href="/tickets?state=open" />
      <StatTile
        label="Overdue tickets"
        value={formatCount(tickets.overdue)}
        href="/tickets?state=open&overdue=true"
        tone={tickets.overdue > 0 ? "danger" : "success"}
      />
      <StatTile
        label="Drift"
        value={formatCount(tickets.drift)}
        hint={driftHint}
        href="/tickets?drift=true"
        tone={tickets.drift > 0 ? "warning" : undefined}
      />
    </>
  );
}
