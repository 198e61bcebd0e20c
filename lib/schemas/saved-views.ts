// Saved views: a person's named filter set of the findings or recommendations page, optionally shared
// with everyone who can open the page. Filters are the page's URL parameters, checked against the same
// schema the page parses its URL with.
import { z } from "zod";
import { ZFindingsQuery } from "@/lib/schemas/findings";
import { ZRecommendationsQuery } from "@/lib/schemas/recommendations";

export const SAVED_VIEW_PAGES = ["findings", "recommendations"] as const;
export const ZSavedViewPage = z.enum(SAVED_VIEW_PAGES);
export type TSavedViewPage = z.infer<typeof ZSavedViewPage>;

const PAGE_SCHEMA = { findings: ZFindingsQuery, recommendations: ZRecommendationsQuery } as const;

/** The filter keys a page accepts (its query schema without paging). */
export function filterKeysOf(page: TSavedViewPage): string[] {
  return Object.keys(PAGE_SCHEMA[page].shape).filter((k) => k !== "page" && k !== "cursor");
}

const ZFilterValue = z.union([z.string().trim().max(500), z.array(z.string().trim().max(500)).max(50)]);
export const ZSavedViewFilters = z
  .record(z.string().regex(/^[A-Za-z]{1,40}$/, "must be a filter name"), ZFilterValue)
  .refine((f) => Object.keys(f).length <= 30, "has too many filters");
export type TSavedViewFilters = z.infer<typeof ZSavedViewFilters>;

/** Null when the filters are valid for the page, else what is wrong (for a 422 and the form). */
export function filtersProblem(page: TSavedViewPage, filters: TSavedViewFilters): string | null {
  const allowed = new Set(filterKeysOf(page));
  const unknown = Object.keys(filters).filter((k) => !allowed.has(k));
  if (unknown.length)
    return `${unknown.map((k) => `'${k}'`).join(", ")} ${unknown.length === 1 ? "is not a filter" : "are not filters"} of the ${page} page`;
  const parsed = PAGE_SCHEMA[page].safeParse(filters);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `filter '${String(issue?.path[0] ?? "?")}' ${issue?.message ?? "is invalid"}`;
  }
  return null;
}

/** Drops empty values and non-filter parameters from a URL state (what "Save view" stores). */
export function filtersFromSearch(page: TSavedViewPage, state: Record<string, string | string[] | undefined>): TSavedViewFilters {
  const allowed = new Set(filterKeysOf(page));
  const out: TSavedViewFilters = {};
  for (const [k, v] of Object.entries(state)) {
    if (!allowed.has(k) || v === undefined || v === "" || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out;
}

const ZName = z.string().trim().min(1, "must not be empty").max(80, "must be at most 80 characters");

export const ZCreateSavedView = z
  .object({ name: ZName, page: ZSavedViewPage, filters: ZSavedViewFilters, isShared: z.boolean().default(false) })
  .strict()
  .superRefine((v, ctx) => {
    const problem = filtersProblem(v.page, v.filters);
    if (problem) ctx.addIssue({ code: "custom", path: ["filters"], message: problem });
  });
export type TCreateSavedView = z.input<typeof ZCreateSavedView>;

export const ZUpdateSavedView = z
  .object({ name: ZName.optional(), filters: ZSavedViewFilters.optional(), isShared: z.boolean().optional() })
  .strict()
  .refine(
    (v) => v.name !== undefined || v.filters !== undefined || v.isShared !== undefined,
    "must change the name, the filters or the sharing",
  );
export type TUpdateSavedView = z.infer<typeof ZUpdateSavedView>;

export const ZSavedViewsQuery = z.object({ page: ZSavedViewPage.optional() }).strict();

export const ZSavedView = z.object({
  id: z.string(),
  name: z.string(),
  page: ZSavedViewPage,
  filters: ZSavedViewFilters,
  isShared: z.boolean(),
  isMine: z.boolean(),
  ownerName: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TSavedView = z.infer<typeof ZSavedView>;
export const ZSavedViewList = z.object({ items: z.array(ZSavedView) });
export type TSavedViewList = z.infer<typeof ZSavedViewList>;

/** The page URL that applies a view (filters in the URL, plus the view id so the page can name it). */
export function savedViewHref(view: Pick<TSavedView, "id" | "page" | "filters">): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(view.filters)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
  params.set("view", view.id);
  return `/${view.page}?${params.toString()}`;
}
