"use client";
// Every date the UI shows goes through <DateTime>. Pages render on the server (Node's locale and time
// zone) and hydrate in the browser (the viewer's): a date formatted for the viewer during render
// differs between the two and React throws away the page (hydration error #418). So the server and the
// hydrating browser both render a deterministic English UTC text; once hydrated, the component shows
// the viewer's locale and time zone, and relative times follow a shared 30-second clock.
import { type ReactNode, useSyncExternalStore } from "react";
import { clock } from "@/lib/format/clock";
import { type DateTimeFormat, formatLocal, formatRelative, formatUtc, toDate } from "@/lib/format/date";
import { TD } from "@/components/ui/table";

/** `relative`: "3 min ago", "in 2 h" within a day, else `datetime-short`. */
export type DateTimeDisplay = Exclude<DateTimeFormat, "full"> | "relative";

type Props = {
  value: string | number | Date | null | undefined;
  format?: DateTimeDisplay;
  /** What a missing value shows. */
  fallback?: ReactNode;
  className?: string;
};

const subscribeNever = () => () => {};

/** False on the server and while hydrating, true once the component runs as a normal client render. */
function useIsHydrated(): boolean {
  return useSyncExternalStore(
    subscribeNever,
    () => true,
    () => false,
  );
}

/** The shared clock's time once hydrated; null on the server and while hydrating. */
function useNow(): number | null {
  return useSyncExternalStore(clock.subscribe, clock.getSnapshot, () => null);
}

function Absolute({ date, format, className }: { date: Date; format: Exclude<DateTimeDisplay, "relative">; className?: string }) {
  const isHydrated = useIsHydrated();
  return (
    <time dateTime={date.toISOString()} title={isHydrated ? formatLocal(date, "full") : formatUtc(date, "full")} className={className}>
      {isHydrated ? formatLocal(date, format) : formatUtc(date, format)}
    </time>
  );
}

function Relative({ date, className }: { date: Date; className?: string }) {
  const now = useNow();
  return (
    <time dateTime={date.toISOString()} title={now === null ? formatUtc(date, "full") : formatLocal(date, "full")} className={className}>
      {now === null ? formatUtc(date, "datetime-short") : (formatRelative(date, now) ?? formatLocal(date, "datetime-short"))}
    </time>
  );
}

/** A moment in time as a `<time>` element, its full local date-time in the tooltip. */
export function DateTime({ value, format = "datetime", fallback = "—", className }: Props) {
  const date = toDate(value);
  if (!date) return <>{fallback}</>;
  return format === "relative" ? (
    <Relative date={date} className={className} />
  ) : (
    <Absolute date={date} format={format} className={className} />
  );
}

/** A table cell holding just a date (`className` for the cell). */
export function DateCell({ className, ...props }: Props) {
  return (
    <TD className={className}>
      <DateTime {...props} />
    </TD>
  );
}
