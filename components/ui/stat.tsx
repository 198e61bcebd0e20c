import Link from "next/link";
import { type ReactNode } from "react";
import { cn } from "@/components/ui/cn";

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
