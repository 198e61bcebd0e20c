// Display helpers of the compliance view and the overview (pure; unit-tested in format.test.ts).

/** 72.456 → "72.5%"; null → "—". Inputs are already percentages (0–100). */
export function formatPct(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : `${(Math.round(value * 10) / 10).toLocaleString("en-US")}%`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** Mean time to remediate: 5.5 → "5.5 h", 36 → "1.5 d", null → "—". */
export function formatHours(hours: number | null): string {
  if (hours === null) return "—";
  if (hours < 48) return `${Math.round(hours * 10) / 10} h`;
  return `${Math.round((hours / 24) * 10) / 10} d`;
}

/** "2026-03-05" → "Mar 5" (axis ticks), in UTC so a day never shifts. */
export function shortDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
}

/** "2026-03-05" → "Mar 5, 2026". */
export function longDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

/** How a series moved over the range, for the text that goes with a chart. */
export function describeChange(label: string, first: number | null | undefined, last: number | null | undefined, unit: "%" | "" = ""): string {
  if (first === null || first === undefined || last === null || last === undefined) return `${label}: no data in this range.`;
  const fmt = (v: number) => (unit === "%" ? formatPct(v) : formatCount(v));
  if (first === last) return `${label} stayed at ${fmt(last)}.`;
  const delta = Math.round((last - first) * 10) / 10;
  const change = unit === "%" ? `${Math.abs(delta)} points` : formatCount(Math.abs(delta));
  return `${label} went from ${fmt(first)} to ${fmt(last)} (${delta > 0 ? "up" : "down"} ${change}).`;
}

/** ISO date-time → "Mar 5, 14:02" in the viewer's time zone; relative words for the near future/past. */
export function formatWhen(iso: string | null, now = Date.now()): string {
  if (!iso) return "—";
  const t = Date.parse(iso);
  const minutes = Math.round((t - now) / 60_000);
  if (Math.abs(minutes) < 1) return "now";
  if (Math.abs(minutes) < 60) return minutes > 0 ? `in ${minutes} min` : `${-minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return hours > 0 ? `in ${hours} h` : `${-hours} h ago`;
  return new Date(t).toLocaleString("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}
