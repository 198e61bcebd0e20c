// The /sync list's and a run's events' filters as they travel in the URL; the server prefetch and the
// client view build the same objects from the same search parameters.

import { one, pagingOf, type Search } from "@/components/ui/url-params";

export function syncRunFiltersOf(sp: Search) {
  return {
    connectionId: one(sp, "connectionId"),
    status: one(sp, "status"),
    kind: one(sp, "kind"),
    trigger: one(sp, "trigger"),
    ...pagingOf(sp, 25),
  };
}

export function syncEventFiltersOf(sp: Search) {
  return {
    action: one(sp, "action"),
    q: one(sp, "q"),
    ...pagingOf(sp, 50),
  };
}
