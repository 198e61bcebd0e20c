"use client";
import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { longDay, shortDay } from "@/lib/format/date";
import { type TComplianceDay } from "@/lib/schemas/compliance";
import { ChartFrame } from "./chart-frame";
import { describeChange, formatCount, formatPct } from "./format";

// Legends list their series in the order drawn (High, Medium, Low; Coverage, Overdue, Drift), not
// alphabetically (Recharts' default sorts by name).
const SERIES_ORDER = ["High", "Medium", "Low", "Coverage", "Overdue tickets", "Drift"];
const inDrawingOrder = (item: { value?: unknown }) => {
  const at = SERIES_ORDER.indexOf(String(item.value));
  return at === -1 ? SERIES_ORDER.length : at;
};

/** The sentence under a chart; with a single day there is no change to describe yet. */
function summaryOf(days: TComplianceDay[], label: string, value: (d: TComplianceDay) => number | null, unit: "%" | "" = ""): string {
  const points = days.filter((d) => value(d) !== null);
  if (points.length === 1) {
    const v = value(points[0]!)!;
    return `${label}: ${unit === "%" ? formatPct(v) : formatCount(v)} on ${longDay(points[0]!.day)} — the only day in this range so far (the sync adds one per day).`;
  }
  return describeChange(label, points[0] ? value(points[0]) : null, points.at(-1) ? value(points.at(-1)!) : null, unit);
}

// The trends of /compliance, drawn from the daily snapshots. Colours are the theme's CSS variables, so
// the charts follow light and dark mode and print in the page's colours.

const AXIS = { fontSize: 11, fill: "var(--muted)" } as const;
const GRID = "var(--border)";
const TOOLTIP = {
  contentStyle: { background: "var(--surface)", border: "1px solid var(--border)", fontSize: 12 },
  labelFormatter: (d: unknown) => longDay(String(d)),
};

const SEVERITY_SERIES = [
  ["high", "High"],
  ["medium", "Medium"],
  ["low", "Low"],
] as const;

const COVERAGE_SERIES = [
  { yAxisId: "pct", dataKey: "coveragePercent", name: "Coverage", stroke: "var(--success)", strokeWidth: 2, connectNulls: true },
  { yAxisId: "n", dataKey: "overdueTickets", name: "Overdue tickets", stroke: "var(--danger)", strokeWidth: 2 },
  { yAxisId: "n", dataKey: "drift", name: "Drift", stroke: "var(--warning)", strokeDasharray: "4 3" },
] as const;

export function ScoreTrendChart({ days }: { days: TComplianceDay[] }) {
  const scored = days.filter((d) => d.scorePercent !== null);
  return (
    <ChartFrame
      title="Secure score over time"
      summary={summaryOf(scored, "Secure score", (d) => d.scorePercent, "%")}
      rows={days}
      columns={[
        { label: "Day", value: (d) => d.day },
        { label: "Secure score", value: (d) => formatPct(d.scorePercent), isNumeric: true },
      ]}
    >
      {(size) => (
        <LineChart {...size} data={days} margin={{ top: 8, right: 12, bottom: 0, left: -12 }} title="Secure score over time">
          <CartesianGrid stroke={GRID} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={shortDay} tick={AXIS} minTickGap={24} />
          <YAxis domain={[0, 100]} tickFormatter={(v: number) => `${v}%`} tick={AXIS} width={56} />
          <Tooltip {...TOOLTIP} formatter={(v) => [formatPct(Number(v)), "Secure score"]} />
          <Line
            type="monotone"
            dataKey="scorePercent"
            name="Secure score"
            stroke="var(--accent)"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
            connectNulls
          />
        </LineChart>
      )}
    </ChartFrame>
  );
}

export function SeverityTrendChart({ days }: { days: TComplianceDay[] }) {
  return (
    <ChartFrame
      title="Open unhealthy findings by severity"
      summary={summaryOf(days, "Unhealthy findings", (d) => d.high + d.medium + d.low)}
      rows={days}
      columns={[
        { label: "Day", value: (d) => d.day },
        ...SEVERITY_SERIES.map(([key, name]) => ({ label: name, value: (d: TComplianceDay) => formatCount(d[key]), isNumeric: true })),
      ]}
    >
      {(size) => (
        <AreaChart {...size} data={days} margin={{ top: 8, right: 12, bottom: 0, left: -4 }} title="Open unhealthy findings by severity">
          <CartesianGrid stroke={GRID} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={shortDay} tick={AXIS} minTickGap={24} />
          <YAxis tickFormatter={(v: number) => formatCount(v)} tick={AXIS} width={56} />
          <Tooltip {...TOOLTIP} formatter={(v, name) => [formatCount(Number(v)), String(name)]} />
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={inDrawingOrder} />
          {SEVERITY_SERIES.map(([key, name]) => (
            <Area
              key={key}
              type="monotone"
              dataKey={key}
              name={name}
              stackId="s"
              stroke={`var(--sev-${key})`}
              fill={`var(--sev-${key}-soft)`}
              isAnimationActive={false}
            />
          ))}
        </AreaChart>
      )}
    </ChartFrame>
  );
}

export function CoverageTrendChart({ days }: { days: TComplianceDay[] }) {
  return (
    <ChartFrame
      title="Ticket coverage and overdue tickets"
      summary={`${summaryOf(days, "Coverage", (d) => d.coveragePercent, "%")} ${summaryOf(days, "Overdue tickets", (d) => d.overdueTickets)}`}
      rows={days}
      columns={[
        { label: "Day", value: (d) => d.day },
        { label: "Coverage", value: (d) => formatPct(d.coveragePercent), isNumeric: true },
        { label: "Open tickets", value: (d) => formatCount(d.openTickets), isNumeric: true },
        { label: "Overdue", value: (d) => formatCount(d.overdueTickets), isNumeric: true },
        { label: "Drift", value: (d) => formatCount(d.drift), isNumeric: true },
      ]}
    >
      {(size) => (
        <LineChart {...size} data={days} margin={{ top: 8, right: 0, bottom: 0, left: -12 }} title="Ticket coverage and overdue tickets">
          <CartesianGrid stroke={GRID} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={shortDay} tick={AXIS} minTickGap={24} />
          <YAxis yAxisId="pct" domain={[0, 100]} tickFormatter={(v: number) => `${v}%`} tick={AXIS} width={56} />
          <YAxis yAxisId="n" orientation="right" allowDecimals={false} tick={AXIS} width={40} />
          <Tooltip
            {...TOOLTIP}
            formatter={(v, name) => [name === "Coverage" ? formatPct(Number(v)) : formatCount(Number(v)), String(name)]}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={inDrawingOrder} />
          {COVERAGE_SERIES.map((line) => (
            <Line key={line.dataKey} type="monotone" dot={false} isAnimationActive={false} {...line} />
          ))}
        </LineChart>
      )}
    </ChartFrame>
  );
}
