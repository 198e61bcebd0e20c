"use client";
import { type ReactNode } from "react";
import { Inbox, LoaderCircle, TriangleAlert } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { addressProblemsOf, InvalidAddressState } from "@/components/ui/list-query";

export function EmptyState({
  title,
  description,
  action,
  icon,
}: {
  title: string;
  description?: ReactNode;
  action?: ReactNode;
  icon?: ReactNode;
}) {
  return (
    <div className="flex flex-col items-center justify-center gap-2 px-6 py-12 text-center" role="status">
      <div className="text-muted" aria-hidden>
        {icon ?? <Inbox className="size-8" />}
      </div>
      <p className="text-sm font-medium">{title}</p>
      {description ? <p className="max-w-md text-sm text-muted">{description}</p> : null}
      {action ? <div className="mt-2">{action}</div> : null}
    </div>
  );
}

export function LoadingState({ label = "Loading…", className }: { label?: string; className?: string }) {
  return (
    <div className={cn("flex items-center justify-center gap-2 px-6 py-12 text-sm text-muted", className)} role="status" aria-live="polite">
      <LoaderCircle aria-hidden className="size-4 animate-spin" />
      {label}
    </div>
  );
}

export function ErrorState({ title = "Something went wrong", error, onRetry }: { title?: string; error?: unknown; onRetry?: () => void }) {
  // A list whose address carries a value the API refuses: the same message on every list page.
  const problems = addressProblemsOf(error);
  if (problems) return <InvalidAddressState problems={problems} />;
  const message = error instanceof Error ? error.message : typeof error === "string" ? error : null;
  return (
    <div className="flex flex-col items-center justify-center gap-2 px-6 py-12 text-center" role="alert">
      <TriangleAlert aria-hidden className="size-8 text-danger" />
      <p className="text-sm font-medium">{title}</p>
      {message ? <p className="max-w-lg text-sm text-muted">{message}</p> : null}
      {onRetry ? (
        <Button size="sm" onClick={onRetry} className="mt-2">
          Try again
        </Button>
      ) : null}
    </div>
  );
}

/** Grey placeholder rows shown while a table's first page loads. */
export function SkeletonRows({ rows = 8, columns = 5 }: { rows?: number; columns?: number }) {
  return (
    <>
      {Array.from({ length: rows }, (_, r) => (
        <tr key={r} aria-hidden>
          {Array.from({ length: columns }, (_, c) => (
            <td key={c} className="px-3 py-2.5">
              <div className="h-3 animate-pulse rounded bg-surface-2" style={{ width: `${40 + ((r * 7 + c * 13) % 50)}%` }} />
            </td>
          ))}
        </tr>
      ))}
    </>
  );
}
