"use client";
import { FindingStatusBadge, SeverityBadge } from "@/components/ui/badge";
import { type ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { TD, TR } from "@/components/ui/table";
import { type TFindingDto } from "@/lib/schemas/findings";

/** Whether a finding can be ticketed: unhealthy and still reported by Defender. */
export const isSelectable = (f: TFindingDto) => f.status === "Unhealthy" && f.removedAt === null;

/** The checkbox cell that selects a finding for ticketing, disabled (with the reason) when it can't be. */
export function FindingSelectCell({
  finding,
  label,
  what,
  selected,
  onToggle,
}: {
  finding: TFindingDto;
  /** Names the finding in the checkbox's label ("Select <label>"). */
  label: string;
  /** What the rows are, for the reason a row can't be selected ("resources", "findings"). */
  what: string;
  selected: boolean;
  onToggle: (id: string) => void;
}) {
  return (
    <TD>
      <input
        type="checkbox"
        className="size-4 accent-[var(--accent)]"
        aria-label={`Select ${label}`}
        checked={selected}
        disabled={!isSelectable(finding)}
        title={isSelectable(finding) ? undefined : `Only unhealthy ${what} can be ticketed`}
        onChange={() => onToggle(finding.id)}
      />
    </TD>
  );
}

/** A finding's severity and Defender status, as two cells. */
export function SeverityStatusCells({ finding }: { finding: Pick<TFindingDto, "severity" | "status"> }) {
  return (
    <>
      <TD>
        <SeverityBadge severity={finding.severity} />
      </TD>
      <TD>
        <FindingStatusBadge status={finding.status} />
      </TD>
    </>
  );
}

/**
 * A finding's row: selected rows highlighted, findings Defender no longer reports dimmed, and, when
 * `selection` is given (a writer), the select cell before `children`.
 */
export function FindingRow({
  finding,
  label,
  what,
  selection,
  children,
}: {
  finding: TFindingDto;
  label: string;
  what: string;
  selection: { selected: Set<string>; toggle: (id: string) => void } | null;
  children: ReactNode;
}) {
  const isSelected = selection?.selected.has(finding.id) ?? false;
  return (
    <TR isSelected={isSelected} className={cn(finding.removedAt && "opacity-60")}>
      {selection ? (
        <FindingSelectCell finding={finding} label={label} what={what} selected={isSelected} onToggle={selection.toggle} />
      ) : null}
      {children}
    </TR>
  );
}
