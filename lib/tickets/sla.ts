// The ticket SLA as PostureDesk computes it (ServiceNow's task_sla records are not read): the clock runs
// from the ticket's creation to its due date and stops when the ticket leaves the open states.
import { type TTicketSla } from "@/lib/schemas/ticket-conversation";

/** Share of the allowed time after which an open ticket is "at risk". */
export const AT_RISK_SHARE = 0.75;

type SlaInput = { createdAt: Date; dueDate: Date | null; resolvedAt: Date | null; state: "open" | "resolved" | "closed" | "canceled" };

export function ticketSla(t: SlaInput, now = new Date()): TTicketSla {
  const stoppedAt = t.state === "open" ? null : (t.resolvedAt ?? null);
  const base = {
    source: "due_date" as const,
    dueDate: t.dueDate?.toISOString() ?? null,
    startedAt: t.createdAt.toISOString(),
    stoppedAt: stoppedAt?.toISOString() ?? null,
  };
  if (!t.dueDate) return { ...base, status: "no_due_date", elapsedPercent: null };
  const end = t.state === "open" ? now : (stoppedAt ?? now);
  const allowed = t.dueDate.getTime() - t.createdAt.getTime();
  const used = end.getTime() - t.createdAt.getTime();
  const elapsedPercent = allowed > 0 ? Math.max(0, Math.round((used / allowed) * 100)) : end > t.dueDate ? 100 : 0;
  const isLate = end.getTime() > t.dueDate.getTime();
  if (t.state !== "open") return { ...base, status: isLate ? "missed" : "met", elapsedPercent };
  if (isLate) return { ...base, status: "breached", elapsedPercent };
  return { ...base, status: elapsedPercent >= AT_RISK_SHARE * 100 ? "at_risk" : "on_track", elapsedPercent };
}
