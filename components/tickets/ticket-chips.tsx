import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { type TFindingTicket } from "@/lib/schemas/tickets";

const TONE: Record<TFindingTicket["state"], string> = {
  open: "border-info/40 bg-info-soft text-info",
  resolved: "border-success/40 bg-success-soft text-success",
  closed: "border-border bg-surface-2 text-muted",
  canceled: "border-border bg-surface-2 text-muted",
};

/** A finding's tickets as small links to their detail pages (for tables of findings or resources). */
export function TicketChips({ tickets }: { tickets: TFindingTicket[] | undefined }) {
  if (!tickets?.length) return <span className="text-xs text-muted">—</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {tickets.map((t) => (
        <Link
          key={t.id}
          href={`/tickets/${t.id}`}
          title={`${t.connectionName}: ${t.state}${t.isDrift ? " — closed in ServiceNow, not remediated" : ""}`}
          className={cn(
            "inline-flex items-center rounded border px-1.5 py-0.5 font-mono text-xs leading-none hover:underline",
            TONE[t.state],
            t.isDrift && "border-warning text-warning",
          )}
        >
          {t.number}
          {t.isDrift ? <span aria-label="drift"> ⚠</span> : null}
        </Link>
      ))}
    </span>
  );
}
