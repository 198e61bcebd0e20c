// A list's search parameters as the page (server) and the view (client) both read them, so the server's
// prefetch and the view ask for the same thing.

export type Search = Record<string, string | string[] | undefined>;

/** The first value of `key`; an empty one is no value. */
export function one(sp: Search, key: string): string | undefined {
  const v = sp[key];
  return Array.isArray(v) ? v[0] : v || undefined;
}

/** `one` of each of `keys`, by key: a list's plain filters. */
export function ones<K extends string>(sp: Search, ...keys: K[]): Record<K, string | undefined> {
  return Object.fromEntries(keys.map((key) => [key, one(sp, key)])) as Record<K, string | undefined>;
}

/** The page number and page size (`pageSize` when not given or not a number). */
export function pagingOf(sp: Search, pageSize: number): { page: number; pageSize: number } {
  return { page: Number(one(sp, "page") ?? 1) || 1, pageSize: Number(one(sp, "pageSize") ?? pageSize) || pageSize };
}
