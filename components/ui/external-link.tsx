import { type ReactNode } from "react";
import { ExternalLink } from "lucide-react";
import { cn } from "@/components/ui/cn";

/**
 * An identifier (a ServiceNow number, a CVE id) in monospace, linking to its page outside PostureDesk in a
 * new tab; its accessible name is `label` (default: the id) and says so.
 */
export function ExternalIdLink({ href, id, label = id, className }: { href: string; id: string; label?: string; className?: string }) {
  return (
    <a
      href={href}
      target="_blank"
      rel="noreferrer"
      className={cn("inline-flex items-center gap-0.5 font-mono text-accent hover:underline", className)}
      aria-label={`${label} (opens in a new tab)`}
    >
      {id}
      <ExternalLink aria-hidden className="size-3" />
    </a>
  );
}

/** A page header's "Open in …" link to the record in Azure or ServiceNow, in a new tab. */
export function OpenInLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a href={href} target="_blank" rel="noreferrer noopener" className="inline-flex items-center gap-1 text-sm text-accent hover:underline">
      {children} <ExternalLink aria-hidden className="size-3.5" />
    </a>
  );
}
