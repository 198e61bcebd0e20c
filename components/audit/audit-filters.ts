// The audit log's filters as they travel in the URL; the server prefetch and the client view build the
// same object from the same search parameters.

import { ones, pagingOf, type Search } from "@/components/ui/url-params";

export function auditFiltersOf(sp: Search) {
  return { ...ones(sp, "action", "actor", "targetType", "targetId"), ...pagingOf(sp, 50) };
}
