import { type ReactNode } from "react";
import { cn } from "@/components/ui/cn";

export function Card({
  children,
  className,
  as: Tag = "section",
  ...rest
}: {
  children: ReactNode;
  className?: string;
  as?: "section" | "div" | "article";
  "aria-labelledby"?: string;
}) {
  return (
    <Tag className={cn("rounded-lg border border-border bg-surface", className)} {...rest}>
      {children}
    </Tag>
  );
}

export function CardHeader({
  title,
  badges,
  description,
  actions,
  id,
}: {
  title: ReactNode;
  /** Badges after the title, in the heading (a record's type, state, drift…). */
  badges?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  id?: string;
}) {
  return (
    <TitleBar
      as="header"
      className="flex items-start justify-between gap-3 border-b border-border px-4 py-3"
      actions={actions}
      actionsClassName="flex shrink-0 items-center gap-2"
    >
      <h2 id={id} className="text-sm font-semibold">
        {badges ? (
          <span className="flex flex-wrap items-center gap-2">
            {title} {badges}
          </span>
        ) : (
          title
        )}
      </h2>
      {description ? <p className="mt-0.5 text-xs text-muted">{description}</p> : null}
    </TitleBar>
  );
}

/** A heading block (`children`: the heading and what goes with it) with `actions` beside it: a card's or a page's header. */
export function TitleBar({
  as: Tag = "div",
  className,
  actions,
  actionsClassName,
  children,
}: {
  as?: "div" | "header";
  className: string;
  actions?: ReactNode;
  actionsClassName: string;
  children: ReactNode;
}) {
  return (
    <Tag className={className}>
      <div className="min-w-0">{children}</div>
      {actions ? <div className={actionsClassName}>{actions}</div> : null}
    </Tag>
  );
}

/** A card named by its header's heading (`aria-labelledby` the heading's `id`), then `children`. */
export function SectionCard({
  id,
  className,
  title,
  description,
  actions,
  children,
}: {
  id: string;
  className?: string;
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card aria-labelledby={id} className={className}>
      <CardHeader id={id} title={title} description={description} actions={actions} />
      {children}
    </Card>
  );
}

export function CardBody({ children, className }: { children: ReactNode; className?: string }) {
  return <div className={cn("p-4", className)}>{children}</div>;
}
