import "server-only";

// The findings list's counts, served again while the data they were counted from is unchanged. Paging
// through one filter and refreshing a view ask for the same count again and again; it is the slowest
// statement of many shapes (up to 1,001 rows read, 2–8 ms at 100,000 findings, beside the page on a
// second connection; docs/PERFORMANCE.md, "List APIs").

import { canonicalQuery } from "./cursor";
import { findingsDataVersion, type FindingsVersion } from "./count-sql";
import { countMatching, type FindingsFilter } from "./list-sql";

export type Count = { n: number; isLowerBound: boolean };

/**
 * Counts by filters and bound, each with the version of the data it was counted from
 * (findingsDataVersion) and, for the overdue filters, the next due date it was counted before: a count is
 * served again while the version is unchanged — any write to a table the filters read moves it — and,
 * for an overdue filter, until that due date passes (the database's clock). A count made while a writer
 * had not yet committed (an unsettled version) is not kept. Per process; least recently used first out.
 */
const CACHE_MAX = 256;
const cache = new Map<string, { version: string; until: number; count: Count }>();

/** The filters alone: sort, page, page size, cursor and the resolved resource group names left out. */
const cacheKey = (query: FindingsFilter, limit: number | null) =>
  `${limit ?? "all"}|${canonicalQuery(query, ["sort", "page", "pageSize", "cursor", "resourceGroupNames"])}`;

/** countMatching (bounded by `limit`, or every row with null), served from the cache when still true. */
export async function countFindings(query: FindingsFilter, limit: number | null): Promise<Count> {
  const data = await findingsDataVersion();
  const key = cacheKey(query, limit);
  const hit = cache.get(key);
  if (hit && hit.version === data.version && data.at.getTime() < hit.until) {
    cache.delete(key); // most recently used last
    cache.set(key, hit);
    return hit.count;
  }
  const count = await countMatching(query, limit);
  if (data.settled) {
    cache.delete(key);
    cache.set(key, { version: data.version, until: validUntil(query, data), count });
    if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value!);
  }
  return count;
}

/** Until when (database clock, ms) a count of these filters holds without a write: the overdue filters change when a due date passes. */
function validUntil(query: FindingsFilter, data: FindingsVersion): number {
  if (query.overdue === undefined) return Infinity;
  return data.nextDueAt ? data.nextDueAt.getTime() : Infinity;
}
