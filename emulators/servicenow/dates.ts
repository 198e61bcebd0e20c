// ServiceNow's wire format for dates: "YYYY-MM-DD hh:mm:ss" (glide_date_time) and "YYYY-MM-DD"
// (glide_date), always UTC in the Table API's actual values, with no zone designator.

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
// gs.dateGenerate('2024-01-31','23:59:59') is the one scripted date the platform's list filters emit
// themselves; other javascript: values are not evaluated by the emulator.
const DATE_GENERATE = /^javascript:gs\.dateGenerate\(\s*'([^']+)'\s*,\s*'([^']+)'\s*\)$/;

export function formatSnDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/**
 * Parses a date or date-time as ServiceNow accepts it in input and queries; null when it is not one.
 * `start` | `end` decides what a bare date means (beginning or end of that day).
 */
export function parseSnDateTime(value: string, bareDate: "start" | "end" = "start"): number | null {
  let text = value.trim();
  const generated = DATE_GENERATE.exec(text);
  if (generated) {
    const time = generated[2] === "start" ? "00:00:00" : generated[2] === "end" ? "23:59:59" : generated[2];
    text = `${generated[1]} ${time}`;
  }
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const isBare = h === undefined;
  const ms = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    isBare ? (bareDate === "end" ? 23 : 0) : Number(h),
    isBare ? (bareDate === "end" ? 59 : 0) : Number(mi),
    isBare ? (bareDate === "end" ? 59 : 0) : Number(s ?? 0),
  );
  if (Number.isNaN(ms)) return null;
  // Reject rolled-over dates such as 2024-02-31 (Date.UTC would silently make them March).
  const check = new Date(ms);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return null;
  return ms;
}
