// Date and time formatting shared by the UI, exports and tests (pure and client-safe).
//
// Two families: `formatUtc` gives the same English text in every runtime (no locale data, no time zone:
// it is what the server renders and what the browser renders while it hydrates), `formatLocal` gives the
// viewer's locale and time zone (what a date shows once the page is interactive). `<DateTime>`
// (components/ui/date-time.tsx) switches from the first to the second.

/**
 * - `date`: "Nov 30, 2026"
 * - `datetime`: "Nov 30, 2026, 12:58"
 * - `datetime-short`: "Nov 30, 12:58" (recent or upcoming moments, dense tables)
 * - `datetime-seconds`: "Nov 30, 2026, 12:58:04" (logs, run timings)
 * - `full`: weekday, date, time to the second and the time zone (tooltips)
 */
export type DateTimeFormat = "date" | "datetime" | "datetime-short" | "datetime-seconds" | "full";

export type DateInput = string | number | Date;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;

const LOCAL_OPTIONS: Record<DateTimeFormat, Intl.DateTimeFormatOptions> = {
  date: { year: "numeric", month: "short", day: "2-digit" },
  datetime: { year: "numeric", month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit" },
  "datetime-short": { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" },
  "datetime-seconds": { year: "numeric", month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" },
  full: { dateStyle: "full", timeStyle: "long" },
};

/** The instant of an ISO string, epoch milliseconds or a Date; null when it is missing or not a date. */
export function toDate(value: DateInput | null | undefined): Date | null {
  if (value === null || value === undefined || value === "") return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * Deterministic English text in UTC, built without Intl so that Node and every browser produce the
 * same characters: "Nov 30, 2026, 12:58 UTC". Dates without a time carry no zone ("Nov 30, 2026").
 */
export function formatUtc(value: DateInput, format: DateTimeFormat): string {
  const d = toDate(value);
  if (!d) return "—";
  const day = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  const hms = `${hm}:${pad(d.getUTCSeconds())}`;
  const year = d.getUTCFullYear();
  switch (format) {
    case "date":
      return `${day}, ${year}`;
    case "datetime":
      return `${day}, ${year}, ${hm} UTC`;
    case "datetime-short":
      return `${day}, ${hm} UTC`;
    case "datetime-seconds":
      return `${day}, ${year}, ${hms} UTC`;
    case "full":
      return `${WEEKDAYS[d.getUTCDay()]}, ${day}, ${year}, ${hms} UTC`;
  }
}

/** The viewer's way of writing the date: `locale` and `timeZone` default to the runtime's (the browser's). */
export function formatLocal(
  value: DateInput,
  format: DateTimeFormat,
  { locale, timeZone }: { locale?: string; timeZone?: string } = {},
): string {
  const d = toDate(value);
  if (!d) return "—";
  return d.toLocaleString(locale, { ...LOCAL_OPTIONS[format], timeZone });
}

/**
 * Words for a moment within a day of `now`: "now", "in 30 min", "3 h ago"; null further away (show
 * the date instead).
 */
export function formatRelative(value: DateInput, now: number): string | null {
  const d = toDate(value);
  if (!d) return null;
  const minutes = Math.round((d.getTime() - now) / 60_000);
  if (Math.abs(minutes) < 1) return "now";
  if (Math.abs(minutes) < 60) return minutes > 0 ? `in ${minutes} min` : `${-minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return hours > 0 ? `in ${hours} h` : `${-hours} h ago`;
  return null;
}

function calendarDay(day: string): Date | null {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? toDate(`${day}T00:00:00Z`) : null;
}

/** A calendar day "2026-03-05" → "Mar 5" (chart ticks). A day is no instant: no time zone shifts it. */
export function shortDay(day: string): string {
  const d = calendarDay(day);
  return d ? `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}` : day;
}

/** A calendar day "2026-03-05" → "Mar 5, 2026". */
export function longDay(day: string): string {
  const d = calendarDay(day);
  return d ? `${shortDay(day)}, ${d.getUTCFullYear()}` : day;
}
