// Small formatting helpers of the sync history (pure: unit-tested in format.test.ts).
import { formatCount } from "@/lib/format/number";
import { SYNC_ACTION_LABEL, type TSyncAction, type TSyncRunDto } from "@/lib/schemas/sync-runs";

/** 850 ms → "0.9 s", 75 s → "1 min 15 s", 2 h 5 min → "2 h 5 min". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 10_000) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) {
    const seconds = Math.floor((ms % 60_000) / 1000);
    return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

/** "rules.created" → "Rules created", "defender.new_finding" → "Defender new finding". */
export function countLabel(path: string): string {
  const text = path.replace(/[._]+/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase().trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export type FieldChange = { field: string; before: unknown; after: unknown };

/**
 * The fields that differ between an event's before and after (top level of objects); a value that is
 * not an object on either side is one change named "value".
 */
export function changesOf(before: unknown, after: unknown): FieldChange[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObject(before) && !isObject(after)) {
    return before === null && after === null ? [] : JSON.stringify(before) === JSON.stringify(after) ? [] : [{ field: "value", before, after }];
  }
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return fields.filter((f) => JSON.stringify(b[f]) !== JSON.stringify(a[f])).map((f) => ({ field: f, before: b[f] ?? null, after: a[f] ?? null }));
}

/** A value of a change as one short line. */
export function showValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "∅";
  if (typeof value === "string") return value;
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/** What a run changed, e.g. "3 created · 1 resolved · 2 errors" (its events per action, errors last). */
export function headlineCounts(run: Pick<TSyncRunDto, "eventCounts">, max = 4): string {
  const entries = (Object.entries(run.eventCounts) as Array<[TSyncAction, number]>)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => Number(a === "error") - Number(b === "error"));
  return entries
    .slice(0, max)
    .map(([action, n]) => `${formatCount(n)} ${action === "error" ? (n === 1 ? "error" : "errors") : SYNC_ACTION_LABEL[action].toLowerCase()}`)
    .join(" · ");
}
