// A run's counts (SyncRun.counts) as both run writers keep them in memory — the sync's reporter
// (./reporter-sql.ts) and the Defender ingestion's run log (lib/ingestion/run-log-sql.ts): one JSON
// object, nested by dotted names ("servicenow.records", "timings.listing").

/** Replaces the value at a dotted name with `update(current)`, creating the objects on the way. */
export function setPath(target: Record<string, unknown>, name: string, update: (current: unknown) => unknown): void {
  const parts = name.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== "object" || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  const last = parts.at(-1)!;
  node[last] = update(node[last]);
}

/** Adds to the number at a dotted name (a missing or non-numeric value counts as 0). */
export function addCount(target: Record<string, unknown>, name: string, by: number): void {
  setPath(target, name, (current) => (typeof current === "number" ? current : 0) + by);
}
