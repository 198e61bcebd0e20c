// Opaque keyset cursors of the findings list (GET /api/findings?cursor=…): where the next page starts
// (the sort key values and id of the last row shown), which page number that is, and a fingerprint of
// the query it was made for. base64url of a small JSON document, validated with zod when read back;
// anything malformed or made for another query is a 400 with a message, never a 500.
import { createHash } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/http/errors";

const ZCursorDoc = z.object({
  /** Format version. */
  v: z.literal(1),
  /** Fingerprint of the filters and sort (queryFingerprint). */
  q: z.string().regex(/^[0-9a-f]{12}$/),
  /** The page number this cursor opens (1-based). */
  p: z.number().int().min(2).max(1_000_000),
  /** The sort key values of the last row of the previous page (strings, numbers or null). */
  k: z.array(z.union([z.string().max(2000), z.number().finite(), z.null()])).max(8),
  /** Its id. */
  id: z.string().uuid(),
});
export type TCursor = z.infer<typeof ZCursorDoc>;

export function encodeCursor(cursor: TCursor): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

/** Reads a cursor back; a 400 with the reason when it is not one of ours or was made for another query. */
export function decodeCursor(text: string, fingerprint: string): TCursor {
  const bad = (why: string) =>
    new AppError("BAD_REQUEST", { message: `Invalid cursor: ${why}; start again from the first page (drop the cursor parameter)` });
  if (!/^[A-Za-z0-9_-]{1,4000}$/.test(text)) throw bad("not a cursor returned by this API");
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw bad("not a cursor returned by this API");
  }
  const parsed = ZCursorDoc.safeParse(json);
  if (!parsed.success) throw bad("not a cursor returned by this API");
  if (parsed.data.q !== fingerprint) throw bad("it was made for other filters or another sort order");
  return parsed.data;
}

/**
 * A query as one canonical JSON text: keys sorted, `omit` and empty values left out, array values sorted
 * (the same filters give the same text whatever order they came in).
 */
export function canonicalQuery(query: Record<string, unknown>, omit: readonly string[]): string {
  const rest = Object.fromEntries(
    Object.entries(query)
      .filter(([k, v]) => !omit.includes(k) && v !== undefined && !(Array.isArray(v) && v.length === 0))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, Array.isArray(v) ? [...(v as unknown[])].map(String).sort() : v]),
  );
  return JSON.stringify(rest);
}

/** A short stable fingerprint of a query's filters and sort (page, page size and cursor left out). */
export function queryFingerprint(query: Record<string, unknown>): string {
  return createHash("sha256")
    .update(canonicalQuery(query, ["page", "pageSize", "cursor"]))
    .digest("hex")
    .slice(0, 12);
}
