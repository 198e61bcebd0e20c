// The /tickets list's filters as they travel in the URL; the server prefetch and the client view build
// the same object from the same search parameters, so the first paint is served from the prefetch.

import { one, pagingOf, type Search } from "@/components/ui/url-params";

export function ticketFiltersOf(sp: Search) {
  return {
    q: one(sp, "q"),
    state: one(sp, "state"),
    type: one(sp, "type"),
    connectionId: one(sp, "connectionId"),
    overdue: one(sp, "overdue"),
    drift: one(sp, "drift"),
    sort: one(sp, "sort") ?? "-createdAt",
    ...pagingOf(sp, 50),
  };
}
