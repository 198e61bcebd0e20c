// ServiceNow dates on the wire: "YYYY-MM-DD hh:mm:ss" (and "YYYY-MM-DD" for date-only fields), UTC,
// no zone designator. These helpers convert them to and from Date without any local-time surprises.

const SN_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/;

/** Date → "YYYY-MM-DD hh:mm:ss" (UTC, whole seconds). */
export function formatServiceNowDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError("Invalid Date");
  return date.toISOString().slice(0, 19).replace("T", " ");
}

/** Date → "YYYY-MM-DD" (UTC). */
export function formatServiceNowDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError("Invalid Date");
  return date.toISOString().slice(0, 10);
}

/** "YYYY-MM-DD hh:mm:ss" or "YYYY-MM-DD" (UTC) → Date; null for "" or anything else. */
export function parseServiceNowDateTime(value: string | null | undefined): Date | null {
  if (!value) return null;
  const m = SN_DATE_TIME.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0"] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const date = new Date(ms);
  // Reject values Date.UTC would roll over (2024-02-31, 25:00:00).
  if (date.getUTCDate() !== Number(d) || date.getUTCHours() !== Number(h) || date.getUTCMinutes() !== Number(mi)) return null;
  return date;
}
