"use client";
import { createContext, useContext, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";

// A record's facts (a ticket's type and priority, a finding's resource and owner…): a <dl> of labelled
// values. The list says once how its facts look; each <Fact> is a label and a value.

type Look = {
  /** Labels in medium weight (the recommendation and finding pages). */
  strongLabels?: boolean;
  /** Values straight under their labels, without the small gap. */
  tight?: boolean;
  /** Values on one line, cut with "…" (the full text in the value's own title, where the caller gives one). */
  truncate?: boolean;
  /** Long words (ids) wrap instead of overflowing. */
  breakWords?: boolean;
};

const LookContext = createContext<Look>({});

/** The <dl> of facts, laid out by `className` (a grid, a column, a wrapping row). */
export function Facts({
  className,
  children,
  "aria-label": ariaLabel,
  ...look
}: Look & { className?: string; children: ReactNode; "aria-label"?: string }) {
  return (
    <LookContext.Provider value={look}>
      <dl className={className} aria-label={ariaLabel}>
        {children}
      </dl>
    </LookContext.Provider>
  );
}

/** One fact: its label (<dt>) and its value (<dd>). */
export function Fact({ label, children }: { label: ReactNode; children: ReactNode }) {
  const { strongLabels, tight, truncate, breakWords } = useContext(LookContext);
  return (
    <div className={truncate ? "min-w-0" : undefined}>
      <dt className={cn("text-xs text-muted", strongLabels && "font-medium")}>{label}</dt>
      <dd className={cn(!tight && "mt-0.5", truncate && "truncate", "text-sm", breakWords && "break-words")}>{children}</dd>
    </div>
  );
}
