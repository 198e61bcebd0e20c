// The audit log's filters as they travel in the URL; the server prefetch and the client view build the
// same object from the same search parameters.

import { one, pagingOf, type Search } from "@/components/ui/url-params";

export function auditFiltersOf(sp: Search) {
  return {
    action: one(sp, "action"),
    actor: one(sp, "actor"),
    targetType: one(sp, "targetType"),
    targetId: one(sp, "targetId"),
    ...pagingOf(sp, 50),
  };
}
