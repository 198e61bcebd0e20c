// Request counters: how many requests each emulator served, by method, route template and status.
// The server wrapper (server.ts) records every request that is not a control call; tests read them with
// `GET /_emulator/counters` to assert e.g. "the client fetched 3 pages" or "one retry after the 429".
// A dropped connection is recorded with status 0.

export type CounterKey = { emulator: string; method: string; route: string; status: number };
export type CounterRow = CounterKey & { count: number };

export type Counters = {
  record(key: CounterKey): void;
  list(filter?: Partial<Pick<CounterKey, "emulator" | "method" | "route">>): CounterRow[];
  /** Sum of matching rows. */
  total(filter?: Partial<CounterKey>): number;
  reset(): void;
};

export function createCounters(): Counters {
  const rows = new Map<string, CounterRow>();
  const matches = (row: CounterRow, filter: Partial<CounterKey>) =>
    (filter.emulator === undefined || row.emulator === filter.emulator) &&
    (filter.method === undefined || row.method === filter.method.toUpperCase()) &&
    (filter.route === undefined || row.route === filter.route) &&
    (filter.status === undefined || row.status === filter.status);
  return {
    record(key) {
      const method = key.method.toUpperCase();
      const id = `${key.emulator}\u0000${method}\u0000${key.route}\u0000${key.status}`;
      const row = rows.get(id);
      if (row) row.count++;
      else rows.set(id, { ...key, method, count: 1 });
    },
    list(filter = {}) {
      return [...rows.values()]
        .filter((r) => matches(r, filter))
        .map((r) => ({ ...r }))
        .sort(
          (a, b) =>
            a.emulator.localeCompare(b.emulator) ||
            a.route.localeCompare(b.route) ||
            a.method.localeCompare(b.method) ||
            a.status - b.status,
        );
    },
    total(filter = {}) {
      let sum = 0;
      for (const r of rows.values()) if (matches(r, filter)) sum += r.count;
      return sum;
    },
    reset() {
      rows.clear();
    },
  };
}
