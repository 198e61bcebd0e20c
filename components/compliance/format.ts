// Display helpers of the compliance view and the overview (pure; unit-tested in format.test.ts).
// Dates: lib/format/date.ts and <DateTime> (components/ui/date-time.tsx); counts: lib/format/number.ts.
import { formatCount } from "@/lib/format/number";

export { formatCount };

/** 72.456 → "72.5%"; null → "—". Inputs are already percentages (0–100). */
export function formatPct(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : `${(Math.round(value * 10) / 10).toLocaleString("en-US")}%`;
}

/**
 * Mean time to remediate, as precise as is useful: minutes below an hour, one decimal below ten hours,
 * whole hours below two days, days after (one decimal below ten days). 0.25 → "15 min", 5.55 → "5.6 h",
 * 36.4 → "36 h", 80 → "3.3 d", 500 → "21 d", null → "—".
 */
export function formatHours(hours: number | null): string {
  if (hours === null) return "—";
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  if (hours < 10) return `${Math.round(hours * 10) / 10} h`;
  if (hours < 48) return `${Math.round(hours)} h`;
  const days = hours / 24;
  return days < 10 ? `${Math.round(days * 10) / 10} d` : `${Math.round(days)} d`;
}

/** How a series moved over the range, for the text that goes with a chart. */
export function describeChange(
  label: string,
  first: number | null | undefined,
  last: number | null | undefined,
  unit: "%" | "" = "",
): string {
  if (first === null || first === undefined || last === null || last === undefined) return `${label}: no data in this range.`;
  const fmt = (v: number) => (unit === "%" ? formatPct(v) : formatCount(v));
  if (first === last) return `${label} stayed at ${fmt(last)}.`;
  const delta = Math.round((last - first) * 10) / 10;
  const change = unit === "%" ? `${Math.abs(delta)} points` : formatCount(Math.abs(delta));
  return `${label} went from ${fmt(first)} to ${fmt(last)} (${delta > 0 ? "up" : "down"} ${change}).`;
}
