"use client";
import { type ReactNode, type RefObject, type TdHTMLAttributes, type ThHTMLAttributes, useEffect, useRef, useState } from "react";
import { ArrowDown, ArrowUp, ArrowUpDown, ChevronLeft, ChevronRight } from "lucide-react";
import { cn } from "@/components/ui/cn";
import { formatCount } from "@/lib/format/number";

// Dense table primitives. Sorting and paging are controlled by the caller (usually the URL), so a
// view can be shared by copying its address.

/** Whether the element scrolls sideways (a wide table on a narrow screen), kept up to date on resize. */
function useScrollsSideways(): [RefObject<HTMLDivElement | null>, boolean] {
  const ref = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    // The observer reports once on observe, then on every change of the box or of the table inside.
    const observer = new ResizeObserver(() => setScrolls(el.scrollWidth > el.clientWidth + 1));
    observer.observe(el);
    if (el.firstElementChild) observer.observe(el.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return [ref, scrolls];
}

export function Table({ children, caption, className }: { children: ReactNode; caption?: string; className?: string }) {
  // A table wider than its box scrolls sideways; the box then takes keyboard focus (arrow keys scroll
  // it) and is a region named by the caption, so keyboard users can reach its hidden columns.
  const [ref, scrolls] = useScrollsSideways();
  return (
    <div
      ref={ref}
      tabIndex={scrolls ? 0 : undefined}
      role={scrolls ? "region" : undefined}
      aria-label={scrolls ? caption : undefined}
      className={cn("w-full overflow-x-auto", className)}
    >
      <table className="w-full border-collapse text-sm">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        {children}
      </table>
    </div>
  );
}

export function THead({ children }: { children: ReactNode }) {
  return <thead className="border-b border-border bg-surface-2 text-left text-xs font-medium text-muted">{children}</thead>;
}

/**
 * A header of plain column names; the `numeric` ones are right-aligned like their numbers, the `hidden`
 * ones (a bar, the row's actions) are named for screen readers only.
 */
export function HeadRow({ columns, numeric = [], hidden = [] }: { columns: string[]; numeric?: string[]; hidden?: string[] }) {
  return (
    <THead>
      <tr>
        {columns.map((c) => (
          <TH key={c} className={numeric.includes(c) ? "text-right" : undefined}>
            {hidden.includes(c) ? <span className="sr-only">{c}</span> : c}
          </TH>
        ))}
      </tr>
    </THead>
  );
}

export function TBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-border">{children}</tbody>;
}

export function TR({ children, className, isSelected }: { children: ReactNode; className?: string; isSelected?: boolean }) {
  return <tr className={cn("hover:bg-surface-2/60", isSelected && "bg-accent-soft/60", className)}>{children}</tr>;
}

export function TH({ children, className, ...rest }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th scope="col" className={cn("px-3 py-2 font-medium whitespace-nowrap", className)} {...rest}>
      {children}
    </th>
  );
}

export function TD({ children, className, ...rest }: TdHTMLAttributes<HTMLTableCellElement>) {
  return (
    <td className={cn("px-3 py-2 align-middle", className)} {...rest}>
      {children}
    </td>
  );
}

/** The page and page size of a list paged in the component (not the address), as <Pagination> takes them; a new size starts at page 1. */
export function usePaging(initialPageSize = 25) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(initialPageSize);
  const onPageSize = (size: number) => {
    setPageSize(size);
    setPage(1);
  };
  return { page, pageSize, onPage: setPage, onPageSize };
}

/** `sort` is the current sort: "field" ascending or "-field" descending. */
export function SortableTH({
  field,
  label,
  sort,
  onSort,
  className,
  defaultDescending = false,
}: {
  field: string;
  label: string;
  sort: string | undefined;
  onSort: (next: string) => void;
  className?: string;
  defaultDescending?: boolean;
}) {
  const isActive = sort === field || sort === `-${field}`;
  const isDescending = sort === `-${field}`;
  const next = isActive ? (isDescending ? field : `-${field}`) : defaultDescending ? `-${field}` : field;
  const Icon = !isActive ? ArrowUpDown : isDescending ? ArrowDown : ArrowUp;
  return (
    <th
      scope="col"
      aria-sort={isActive ? (isDescending ? "descending" : "ascending") : "none"}
      className={cn("px-3 py-2 font-medium whitespace-nowrap", className)}
    >
      <button type="button" onClick={() => onSort(next)} className="inline-flex items-center gap-1 rounded hover:text-fg">
        {label}
        <Icon aria-hidden className={cn("size-3", !isActive && "opacity-40")} />
      </button>
    </th>
  );
}

export const PAGE_SIZES = [25, 50, 100, 200] as const;

export function Pagination({
  page,
  pageSize,
  total,
  onPage,
  onPageSize,
  itemLabel = "items",
  totalIsLowerBound = false,
  hasNext,
  shown,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
  onPageSize?: (size: number) => void;
  itemLabel?: string;
  /** The list stopped counting: there are more than `total` rows ("more than N"), the last page is unknown. */
  totalIsLowerBound?: boolean;
  /** Whether a next page exists (keyset-paged lists say so); else derived from the total. */
  hasNext?: boolean;
  /** Rows on this page (keyset-paged lists), for the "first–last" range. */
  shown?: number;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 && !shown ? 0 : (page - 1) * pageSize + 1;
  const last = shown !== undefined ? (page - 1) * pageSize + shown : Math.min(total, page * pageSize);
  const isLast = hasNext !== undefined ? !hasNext : page >= pages;
  return (
    <nav
      aria-label="Pagination"
      className="flex flex-wrap items-center justify-between gap-2 border-t border-border px-3 py-2 text-xs text-muted"
    >
      <span className="tabular" aria-live="polite">
        {formatCount(first)}–{formatCount(last)} of {totalIsLowerBound ? "more than " : ""}
        {formatCount(total)} {itemLabel}
      </span>
      <div className="flex items-center gap-2">
        {onPageSize ? (
          <label className="flex items-center gap-1">
            Rows
            <select
              className="h-7 rounded border border-border bg-surface px-1 text-xs text-fg"
              value={pageSize}
              onChange={(e) => onPageSize(Number(e.target.value))}
            >
              {PAGE_SIZES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button
          type="button"
          className="inline-flex h-7 items-center rounded border border-border bg-surface px-2 text-fg disabled:opacity-40"
          onClick={() => onPage(page - 1)}
          disabled={page <= 1}
          aria-label="Previous page"
        >
          <ChevronLeft aria-hidden className="size-4" />
        </button>
        <span className="tabular">
          {totalIsLowerBound ? `Page ${formatCount(page)}` : `Page ${formatCount(page)} of ${formatCount(pages)}`}
        </span>
        <button
          type="button"
          className="inline-flex h-7 items-center rounded border border-border bg-surface px-2 text-fg disabled:opacity-40"
          onClick={() => onPage(page + 1)}
          disabled={isLast}
          aria-label="Next page"
        >
          <ChevronRight aria-hidden className="size-4" />
        </button>
      </div>
    </nav>
  );
}
