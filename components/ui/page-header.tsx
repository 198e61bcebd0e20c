import Link from "next/link";
import { type ReactNode } from "react";
import { TitleBar } from "@/components/ui/card";

export function PageHeader({
  title,
  description,
  actions,
  breadcrumb,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  breadcrumb?: ReactNode;
}) {
  return (
    <TitleBar
      className="mb-4 flex flex-wrap items-end justify-between gap-3"
      actions={actions}
      actionsClassName="flex flex-wrap items-center gap-2"
    >
      {breadcrumb ? <div className="mb-1 text-xs text-muted">{breadcrumb}</div> : null}
      <h1 className="truncate text-xl font-semibold tracking-tight">{title}</h1>
      {description ? <p className="mt-1 max-w-3xl text-sm text-muted">{description}</p> : null}
    </TitleBar>
  );
}

/** The breadcrumb of a detail page: the list it belongs to. */
export function Crumb({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link href={href} className="hover:underline">
      {children}
    </Link>
  );
}
