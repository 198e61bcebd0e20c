// The /tickets list's filters as they travel in the URL; the server prefetch and the client view build
// the same object from the same search parameters, so the first paint is served from the prefetch.

type Search = Record<string, string | string[] | undefined>;

const one = (sp: Search, key: string): string | undefined => {
  const v = sp[key];
  return Array.isArray(v) ? v[0] : v || undefined;
};

export function ticketFiltersOf(sp: Search) {
  return {
    q: one(sp, "q"),
    state: one(sp, "state"),
    type: one(sp, "type"),
    connectionId: one(sp, "connectionId"),
    overdue: one(sp, "overdue"),
    drift: one(sp, "drift"),
    sort: one(sp, "sort") ?? "-createdAt",
    page: Number(one(sp, "page") ?? 1) || 1,
    pageSize: Number(one(sp, "pageSize") ?? 50) || 50,
  };
}
