// The /sync list's and a run's events' filters as they travel in the URL; the server prefetch and the
// client view build the same objects from the same search parameters.

type Search = Record<string, string | string[] | undefined>;

const one = (sp: Search, key: string): string | undefined => {
  const v = sp[key];
  return Array.isArray(v) ? v[0] : v || undefined;
};
const page = (sp: Search) => Number(one(sp, "page") ?? 1) || 1;

export function syncRunFiltersOf(sp: Search) {
  return {
    connectionId: one(sp, "connectionId"),
    status: one(sp, "status"),
    kind: one(sp, "kind"),
    trigger: one(sp, "trigger"),
    page: page(sp),
    pageSize: Number(one(sp, "pageSize") ?? 25) || 25,
  };
}

export function syncEventFiltersOf(sp: Search) {
  return {
    action: one(sp, "action"),
    q: one(sp, "q"),
    page: page(sp),
    pageSize: Number(one(sp, "pageSize") ?? 50) || 50,
  };
}
