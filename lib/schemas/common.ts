import { z } from "zod";

// Building blocks shared by every list route and form (no server-only imports).

export const ZPageQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export type TPage<T> = { items: T[]; total: number; page: number; pageSize: number };

/**
 * A page of a keyset-paged list (findings): `nextCursor` opens the next page (null on the last one),
 * and `total` is exact unless `totalIsLowerBound` — then there are more than `total` rows ("more than N").
 */
export type TCursorPage<T> = TPage<T> & { nextCursor: string | null; totalIsLowerBound: boolean };

/** The response shape of a keyset-paged list, for the API reference. */
export function cursorPageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int().describe("Rows matching; a lower bound when totalIsLowerBound"),
    totalIsLowerBound: z
      .boolean()
      .describe('true: more than `total` rows match ("more than N"); counting stops there (LIST_EXACT_COUNT_LIMIT)'),
    page: z.number().int().describe("This page's number (the last page when the asked one was past the end)"),
    pageSize: z.number().int(),
    nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page"),
  });
}

/** `cursor`: the opaque `nextCursor` of the previous page (it overrides `page`). */
export const ZCursorQuery = z.string().trim().min(1).max(4000).optional();

/** A query value that may be given once, repeated, or comma-separated: ?severity=High,Low&severity=Medium */
export function multi<T extends z.ZodType<unknown, string>>(item: T) {
  return z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) =>
      v === undefined
        ? []
        : (Array.isArray(v) ? v : [v])
            .flatMap((s) => s.split(","))
            .map((s) => s.trim())
            .filter(Boolean),
    )
    .pipe(z.array(item).max(200));
}

export const ZUuid = z.string().uuid("must be a UUID");

export const ZIdParams = z.object({ id: ZUuid });

export const ZBooleanQuery = z
  .enum(["true", "false", "1", "0"])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === "true" || v === "1"));

export const ZIsoDate = z
  .string()
  .datetime({ offset: true, message: "must be an ISO 8601 date-time" })
  .or(z.string().date("must be a date (YYYY-MM-DD)"));
