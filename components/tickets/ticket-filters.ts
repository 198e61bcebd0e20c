// The /tickets list's filters as they travel in the URL; the server prefetch and the client view build
// the same object from the same search parameters, so the first paint is served from the prefetch.

import { one, ones, pagingOf, type Search } from "@/components/ui/url-params";

export function ticketFiltersOf(sp: Search) {
  return {
    ...ones(sp, "q", "state", "type", "connectionId", "overdue", "drift"),
    sort: one(sp, "sort") ?? "-createdAt",
    ...pagingOf(sp, 50),
  };
}
