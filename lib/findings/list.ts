import "server-only";

// GET /api/findings: findings (one assessment on one resource) with the same filters as the
// recommendations list plus recommendation, resource group and removed ones; each with its current
// ticket(s) side by side and its governance owner/due date. Two steps: the page of ids (filters and sort
// on Finding, ticket conditions as EXISTS), then the details of those ≤ 500 rows.

import { assertRole, type Caller } from "@/lib/auth/authorize";
import { type TCursorPage } from "@/lib/schemas/common";
import { env } from "@/lib/env";
import { decodeCursor, encodeCursor, queryFingerprint } from "./cursor";
import { type TFindingsQuery, type TFindingDto } from "@/lib/schemas/findings";
import { pageIds, countMatching, findingDetails } from "./list-sql";
export { findingDetails } from "./list-sql";

export async function listFindings(actor: Caller, query: TFindingsQuery): Promise<TCursorPage<TFindingDto>> {
  assertRole(actor, "manager", "Reading findings");
  const fingerprint = queryFingerprint(query);
  const cursor = query.cursor ? decodeCursor(query.cursor, fingerprint) : null;
  let page = cursor ? cursor.p : query.page;
  const [first, count] = await Promise.all([pageIds(query, cursor, page), countMatching(query, env().LIST_EXACT_COUNT_LIMIT)]);
  let { rows, keysOf } = first;
  let total = count.n;
  let isLowerBound = count.isLowerBound;
  if (rows.length === 0 && page > 1 && !cursor) {
    // Past the end: the last page (counting every row once if the bounded count stopped short).
    if (isLowerBound) ({ n: total, isLowerBound } = await countMatching(query, null));
    page = Math.max(1, Math.ceil(total / query.pageSize));
    ({ rows, keysOf } = await pageIds(query, null, page));
  }
  const shown = rows.slice(0, query.pageSize);
  // What this page proves: at least every row up to its last one, and one more when there is a next page.
  const seen = (page - 1) * query.pageSize + shown.length + (rows.length > query.pageSize ? 1 : 0);
  if (isLowerBound) total = Math.max(total, seen - 1);
  else if (seen > total) total = seen; // rows added since the count
  const last = shown.at(-1);
  const nextCursor =
    rows.length > query.pageSize && last ? encodeCursor({ v: 1, q: fingerprint, p: page + 1, k: keysOf(last), id: last.id }) : null;
  return {
    items: await findingDetails(shown.map((r) => r.id)),
    total,
    totalIsLowerBound: isLowerBound,
    page,
    pageSize: query.pageSize,
    nextCursor,
  };
}
