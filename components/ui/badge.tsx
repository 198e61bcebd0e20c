import { type ReactNode } from "react";
import { cn } from "@/components/ui/cn";

export type BadgeTone = "neutral" | "accent" | "success" | "warning" | "danger" | "info" | "high" | "medium" | "low";

const TONE: Record<BadgeTone, string> = {
  neutral: "bg-surface-2 text-muted border-border",
  accent: "bg-accent-soft text-accent border-transparent",
  success: "bg-success-soft text-success border-transparent",
  warning: "bg-warning-soft text-warning border-transparent",
  danger: "bg-danger-soft text-danger border-transparent",
  info: "bg-info-soft text-info border-transparent",
  high: "bg-sev-high-soft text-sev-high border-transparent",
  medium: "bg-sev-medium-soft text-sev-medium border-transparent",
  low: "bg-sev-low-soft text-sev-low border-transparent",
};

export function Badge({
  tone = "neutral",
  children,
  className,
  title,
}: {
  tone?: BadgeTone;
  children: ReactNode;
  className?: string;
  title?: string;
}) {
  return (
    <span
      title={title}
      className={cn(
        "inline-flex items-center gap-1 rounded border px-1.5 py-0.5 text-xs font-medium leading-none whitespace-nowrap",
        TONE[tone],
        className,
      )}
    >
      {children}
    </span>
  );
}

const SEVERITY_TONE = { High: "high", Medium: "medium", Low: "low" } as const;

export function SeverityBadge({ severity }: { severity: "High" | "Medium" | "Low" }) {
  return (
    <Badge tone={SEVERITY_TONE[severity]}>
      <span aria-hidden className="inline-block size-1.5 rounded-full bg-current" />
      {severity}
    </Badge>
  );
}

const TICKET_STATE: Record<string, { tone: BadgeTone; label: string }> = {
  open: { tone: "info", label: "Open" },
  resolved: { tone: "success", label: "Resolved" },
  closed: { tone: "neutral", label: "Closed" },
  canceled: { tone: "neutral", label: "Canceled" },
};

/** Normalized state, with ServiceNow's own label (e.g. "In Progress") when known. */
export function TicketStateBadge({ state, label }: { state: "open" | "resolved" | "closed" | "canceled"; label?: string | null }) {
  const s = TICKET_STATE[state];
  return <Badge tone={s.tone}>{label || s.label}</Badge>;
}

const FINDING_STATUS: Record<string, { tone: BadgeTone; label: string }> = {
  Unhealthy: { tone: "danger", label: "Unhealthy" },
  Healthy: { tone: "success", label: "Healthy" },
  NotApplicable: { tone: "neutral", label: "Not applicable" },
};

export function FindingStatusBadge({ status }: { status: "Healthy" | "Unhealthy" | "NotApplicable" }) {
  const s = FINDING_STATUS[status];
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

const SYNC_STATUS: Record<string, BadgeTone> = {
  queued: "neutral",
  running: "info",
  succeeded: "success",
  partial: "warning",
  failed: "danger",
  canceled: "neutral",
};

export function SyncStatusBadge({ status }: { status: keyof typeof SYNC_STATUS }) {
  return <Badge tone={SYNC_STATUS[status] ?? "neutral"}>{String(status).charAt(0).toUpperCase() + String(status).slice(1)}</Badge>;
}

export function DriftBadge() {
  return (
    <Badge tone="warning" title="Closed in ServiceNow while a linked finding is still unhealthy">
      Closed, not remediated
    </Badge>
  );
}
