"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { SearchX } from "lucide-react";

// The page for an unknown address or an id that does not exist (any detail page calls notFound()):
// what happened, and a way back to the list the address belongs to.

const LISTS: Record<string, { href: string; label: string; what: string }> = {
  findings: { href: "/findings", label: "Findings", what: "finding" },
  recommendations: { href: "/recommendations", label: "Recommendations", what: "recommendation" },
  resources: { href: "/findings", label: "Findings", what: "resource" },
  tickets: { href: "/tickets", label: "Tickets", what: "ticket" },
  sync: { href: "/sync", label: "Sync history", what: "sync run" },
  rules: { href: "/rules", label: "Rules", what: "rule" },
  connections: { href: "/connections", label: "Connections", what: "connection" },
  compliance: { href: "/compliance", label: "Compliance", what: "page" },
  audit: { href: "/audit", label: "Audit log", what: "entry" },
  settings: { href: "/settings/tokens", label: "API tokens", what: "page" },
};

export function NotFoundContent() {
  const pathname = usePathname() ?? "/";
  const list = LISTS[pathname.split("/")[1] ?? ""];
  const what = list?.what ?? "page";
  return (
    <div className="mx-auto mt-16 max-w-md text-center" role="alert">
      <SearchX aria-hidden className="mx-auto size-8 text-muted" />
      <h1 className="mt-3 text-lg font-semibold">{what === "page" ? "This page does not exist" : `There is no such ${what}`}</h1>
      <p className="mt-1 text-sm text-muted">
        The address may be mistyped, or what it pointed to was removed
        {what === "finding" || what === "resource" ? " or is no longer reported by Defender for Cloud" : ""}.
      </p>
      <p className="mt-4 flex justify-center gap-4 text-sm">
        {list ? (
          <Link href={list.href} className="font-medium text-accent hover:underline">
            Back to {list.label}
          </Link>
        ) : null}
        <Link href="/" className="font-medium text-accent hover:underline">
          Go to the overview
        </Link>
      </p>
    </div>
  );
}
