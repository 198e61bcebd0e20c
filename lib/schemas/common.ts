import { z } from "zod";

// Building blocks shared by every list route and form (no server-only imports).

export const ZPageQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export type TPage<T> = { items: T[]; total: number; page: number; pageSize: number };

/** A query value that may be given once, repeated, or comma-separated: ?severity=High,Low&severity=Medium */
export function multi<T extends z.ZodType<unknown, string>>(item: T) {
  return z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean)))
    .pipe(z.array(item).max(200));
}

export const ZUuid = z.string().uuid("must be a UUID");

export const ZIdParams = z.object({ id: ZUuid });

export const ZBooleanQuery = z
  .enum(["true", "false", "1", "0"])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === "true" || v === "1"));

export const ZIsoDate = z.string().datetime({ offset: true, message: "must be an ISO 8601 date-time" }).or(z.string().date("must be a date (YYYY-MM-DD)"));
