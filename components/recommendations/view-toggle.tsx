"use client";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { SHARED_FILTERS } from "./format";

/** Recommendations ⇄ Findings, carrying the shared filters over so the same slice stays in view. */
export function ViewToggle({ current }: { current: "recommendations" | "findings" }) {
  const params = useSearchParams();
  const kept = new URLSearchParams();
  for (const key of SHARED_FILTERS) for (const value of params.getAll(key)) kept.append(key, value);
  const qs = kept.toString();
  const item = (view: "recommendations" | "findings", label: string) => (
    <Link
      href={`/${view}${qs ? `?${qs}` : ""}`}
      aria-current={current === view ? "page" : undefined}
      className={cn(
        "rounded px-2.5 py-1 text-xs font-medium",
        current === view ? "bg-surface text-fg shadow-sm" : "text-muted hover:text-fg",
      )}
    >
      {label}
    </Link>
  );
  return (
    <nav aria-label="Workspace view" className="inline-flex gap-1 rounded-md border border-border bg-surface-2 p-0.5">
      {item("recommendations", "By recommendation")}
      {item("findings", "By resource")}
    </nav>
  );
}
