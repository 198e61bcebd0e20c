"use client";
import { Fragment, useState } from "react";
import { ChevronDown, ChevronRight } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { SectionCard } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/states";
import { type TTicketHistoryEntry } from "@/lib/schemas/tickets";

/** What happened to a ticket: creation, links and unlinks (audit) and what sync runs changed. */
export function TicketHistory({ entries }: { entries: TTicketHistoryEntry[] }) {
  const [open, setOpen] = useState<number | null>(null);
  return (
    <SectionCard id="ticket-history" title="History">
      {entries.length === 0 ? (
        <EmptyState title="Nothing recorded yet" />
      ) : (
        <ol className="divide-y divide-border">
          {entries.map((e, i) => {
            const hasData = e.before !== null || e.after !== null;
            return (
              <Fragment key={`${e.at}-${i}`}>
                <li className="flex items-start gap-3 px-4 py-2 text-sm">
                  <span className="w-40 shrink-0 text-xs text-muted tabular">
                    <DateTime value={e.at} format="datetime" />
                  </span>
                  <Badge tone={e.source === "sync" ? "info" : "neutral"}>{e.source === "sync" ? "Sync" : "Change"}</Badge>
                  <span className="min-w-0 flex-1">
                    {e.message}
                    {e.actorName ? <span className="text-muted"> — {e.actorName}</span> : null}
                  </span>
                  {hasData ? (
                    <button
                      type="button"
                      className="rounded p-0.5 text-muted hover:text-fg"
                      aria-expanded={open === i}
                      aria-label={open === i ? "Hide details" : "Show details"}
                      onClick={() => setOpen(open === i ? null : i)}
                    >
                      {open === i ? <ChevronDown aria-hidden className="size-4" /> : <ChevronRight aria-hidden className="size-4" />}
                    </button>
                  ) : null}
                </li>
                {open === i ? (
                  <li className="bg-surface-2 px-4 py-2">
                    <pre className="max-h-64 overflow-auto text-xs">{JSON.stringify({ before: e.before, after: e.after }, null, 2)}</pre>
                  </li>
                ) : null}
              </Fragment>
            );
          })}
        </ol>
      )}
    </SectionCard>
  );
}
