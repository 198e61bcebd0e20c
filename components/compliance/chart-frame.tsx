"use client";
import { type ReactElement, type ReactNode, useId } from "react";
import { ResponsiveContainer } from "recharts";
import { Table, TBody, TD, TH, THead } from "@/components/ui/table";
import { usePrinting } from "./use-printing";

/** Width of a chart on an A4/Letter page (portrait, default margins) at 96 dpi. */
const PRINT_WIDTH = 680;

export type DataColumn<Row> = { label: string; value: (row: Row) => ReactNode; isNumeric?: boolean };

/**
 * A chart with what makes it readable without seeing it: a heading, a one-sentence summary (read by
 * screen readers and printed), and the data as a table (collapsed on screen; left out of the printout,
 * which carries the chart and its summary).
 */
export function ChartFrame<Row>({
  title,
  summary,
  rows,
  columns,
  height = 220,
  children,
}: {
  title: string;
  summary: string;
  rows: Row[];
  columns: Array<DataColumn<Row>>;
  height?: number;
  children: (size: { width?: number; height: number }) => ReactNode;
}) {
  const id = useId();
  const isPrinting = usePrinting();
  return (
    <figure aria-labelledby={`${id}-title`} aria-describedby={`${id}-summary`} className="break-inside-avoid">
      <h3 id={`${id}-title`} className="text-sm font-semibold">
        {title}
      </h3>
      <p id={`${id}-summary`} className="mt-0.5 text-xs text-muted">
        {summary}
      </p>
      <div className="mt-2" style={{ height }}>
        {rows.length === 0 ? (
          <div className="flex h-full items-center justify-center rounded border border-dashed border-border text-xs text-muted">
            No data in this range yet: the sync writes one snapshot per day.
          </div>
        ) : isPrinting ? (
          children({ width: PRINT_WIDTH, height })
        ) : (
          <ResponsiveContainer width="100%" height={height} initialDimension={{ width: PRINT_WIDTH, height }}>
            {children({ height }) as ReactElement}
          </ResponsiveContainer>
        )}
      </div>
      {rows.length > 0 ? (
        <details className="mt-2 text-xs print:hidden">
          <summary className="cursor-pointer text-muted hover:text-fg">Data table: {title}</summary>
          <DataTable title={title} rows={rows} columns={columns} />
        </details>
      ) : null}
    </figure>
  );
}

function DataTable<Row>({ title, rows, columns }: { title: string; rows: Row[]; columns: Array<DataColumn<Row>> }) {
  return (
    <Table caption={title} className="mt-1 max-h-72 overflow-y-auto">
      <THead>
        <tr>
          {columns.map((c) => (
            <TH key={c.label} className={c.isNumeric ? "text-right" : undefined}>
              {c.label}
            </TH>
          ))}
        </tr>
      </THead>
      <TBody>
        {rows.map((r, i) => (
          <tr key={i}>
            {columns.map((c) => (
              <TD key={c.label} className={c.isNumeric ? "text-right tabular" : undefined}>
                {c.value(r)}
              </TD>
            ))}
          </tr>
        ))}
      </TBody>
    </Table>
  );
}
