"use client";
import { useState, type ReactNode } from "react";
import { ChevronDown, ChevronRight } from "lucide-react";
import { TD, TH, TR } from "@/components/ui/table";

// A table row that opens a details row under it (the audit log, a sync run's changes): a toggle in the
// first column, and the before → after of a change as JSON.

/** One row open at a time: `toggle(id)` gives a row's `isOpen` and `onToggle`. */
export function useOpenRow() {
  const [open, setOpen] = useState<string | null>(null);
  return (id: string) => ({ isOpen: open === id, onToggle: () => setOpen(open === id ? null : id) });
}

/** The header of the toggle column. */
export function DetailsTH() {
  return (
    <TH className="w-8">
      <span className="sr-only">Details</span>
    </TH>
  );
}

/** The row (the toggle, then `children`, its cells) and, when open, the details across `columns` columns. */
export function ExpandableRow({
  isOpen,
  onToggle,
  columns,
  details,
  children,
}: {
  isOpen: boolean;
  onToggle: () => void;
  columns: number;
  details: () => ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      <TR>
        <TD>
          <button
            type="button"
            aria-expanded={isOpen}
            aria-label={isOpen ? "Hide details" : "Show details"}
            onClick={onToggle}
            className="rounded p-0.5 text-muted hover:text-fg"
          >
            {isOpen ? <ChevronDown aria-hidden className="size-4" /> : <ChevronRight aria-hidden className="size-4" />}
          </button>
        </TD>
        {children}
      </TR>
      {isOpen ? (
        <tr>
          <td colSpan={columns} className="bg-surface-2 px-4 py-3">
            {details()}
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** Before and after side by side as JSON ("—" for none), and a line under them. */
export function BeforeAfter({ before, after, footer }: { before: unknown; after: unknown; footer: ReactNode }) {
  return (
    <>
      <div className="grid gap-3 md:grid-cols-2">
        {(
          [
            ["Before", before],
            ["After", after],
          ] as const
        ).map(([label, value]) => (
          <div key={label}>
            <p className="mb-1 text-xs font-medium text-muted">{label}</p>
            <pre className="max-h-64 overflow-auto rounded border border-border bg-surface p-2 text-xs">
              {value === null || value === undefined ? "—" : JSON.stringify(value, null, 2)}
            </pre>
          </div>
        ))}
      </div>
      <p className="mt-2 text-xs text-muted">{footer}</p>
    </>
  );
}
