import "server-only";

// GET /api/findings: findings (one assessment on one resource) with the same filters as the
// recommendations list plus recommendation, resource group and removed ones; each with its current
// ticket(s) side by side and its governance owner/due date. Two steps: the page of ids (filters and sort
// on Finding, ticket conditions as EXISTS), then the details of those ≤ 500 rows.

import { assertRole, type Caller } from "@/lib/auth/authorize";
import { type TCursorPage } from "@/lib/schemas/common";
import { env } from "@/lib/env";
import { decodeCursor, encodeCursor, queryFingerprint, type TCursor } from "./cursor";
import { type TFindingsQuery, type TFindingDto } from "@/lib/schemas/findings";
import { countFindings } from "./count";
import { pageIds, findingDetails, type FindingsFilter, resourceGroupsNamed } from "./list-sql";
export { findingDetails } from "./list-sql";

export async function listFindings(actor: Caller, query: TFindingsQuery): Promise<TCursorPage<TFindingDto>> {
  assertRole(actor, "manager", "Reading findings");
  const fingerprint = queryFingerprint(query);
  const cursor = query.cursor ? decodeCursor(query.cursor, fingerprint) : null;
  const names = query.resourceGroup.length ? await resourceGroupsNamed(query.resourceGroup) : null;
  if (names?.length === 0) return { items: [], total: 0, totalIsLowerBound: false, page: 1, pageSize: query.pageSize, nextCursor: null };
  return listFiltered({ ...query, resourceGroupNames: names }, fingerprint, cursor);
}

async function listFiltered(query: FindingsFilter, fingerprint: string, cursor: TCursor | null): Promise<TCursorPage<TFindingDto>> {
  let page = cursor ? cursor.p : query.page;
  const limit = env().LIST_EXACT_COUNT_LIMIT;
  // A page by number that starts past the bound proves, if it has rows, that more than `limit` rows
  // match — all the bounded count could say: it is not run (page 20 of 100 rows per page).
  const pastBound = !cursor && (page - 1) * query.pageSize >= limit;
  // The bounded count is the slowest statement of many shapes (up to 1,001 rows read): the page and its
  // details go on beside it instead of after it, and it is served again while its data is unchanged
  // (countFindings).
  let counted = pastBound ? Promise.resolve({ n: limit, isLowerBound: true }) : countFindings(query, limit);
  counted.catch(() => {}); // awaited below; this keeps a failed page from leaving its rejection unhandled
  let { rows, keysOf } = await pageIds(query, cursor, page);
  if (rows.length === 0 && page > 1 && !cursor) {
    // Past the end: the last page (counting every row once if the bounded count stopped short).
    let count = await counted;
    if (count.isLowerBound) count = await countFindings(query, null);
    counted = Promise.resolve(count);
    page = Math.max(1, Math.ceil(count.n / query.pageSize));
    ({ rows, keysOf } = await pageIds(query, null, page));
  }
  const shown = rows.slice(0, query.pageSize);
  const [count, items] = await Promise.all([counted, findingDetails(shown.map((r) => r.id))]);
  const isLowerBound = count.isLowerBound;
  let total = count.n;
  // What this page proves: at least every row up to its last one, and one more when there is a next page.
  const seen = (page - 1) * query.pageSize + shown.length + (rows.length > query.pageSize ? 1 : 0);
  if (isLowerBound) total = Math.max(total, seen - 1);
  else if (seen > total) total = seen; // rows added since the count
  const last = shown.at(-1);
  const nextCursor =
    rows.length > query.pageSize && last ? encodeCursor({ v: 1, q: fingerprint, p: page + 1, k: keysOf(last), id: last.id }) : null;
  return { items, total, totalIsLowerBound: isLowerBound, page, pageSize: query.pageSize, nextCursor };
}
