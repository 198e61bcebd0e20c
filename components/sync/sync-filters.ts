// The /sync list's and a run's events' filters as they travel in the URL; the server prefetch and the
// client view build the same objects from the same search parameters.

import { ones, pagingOf, type Search } from "@/components/ui/url-params";

export function syncRunFiltersOf(sp: Search) {
  return { ...ones(sp, "connectionId", "status", "kind", "trigger"), ...pagingOf(sp, 25) };
}

export function syncEventFiltersOf(sp: Search) {
  return { ...ones(sp, "action", "q"), ...pagingOf(sp, 50) };
}
