import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { listConnections } from "@/lib/connections/service";
import { type PageActor } from "@/lib/auth/page";
import { isAdmin } from "@/lib/auth/roles";
import { connectionKeys } from "@/lib/queries/connections/keys";
import { makeQueryClient } from "@/lib/queries/query-client";
import { SERVICENOW_LIST_FILTERS } from "@/components/connections/servicenow/list-filters";
import { ServiceNowConnections } from "@/components/connections/servicenow/servicenow-connections";

/** ServiceNow connections (list, add, edit, test, archive), prefetched for the first paint. */
export async function ServiceNowSection({ actor }: { actor: PageActor }) {
  const qc = makeQueryClient();
  await qc.prefetchQuery({
    queryKey: connectionKeys.list(SERVICENOW_LIST_FILTERS),
    queryFn: () =>
      listConnections(actor, {
        page: 1,
        pageSize: SERVICENOW_LIST_FILTERS.pageSize,
        includeArchived: SERVICENOW_LIST_FILTERS.includeArchived,
      }),
  });
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <ServiceNowConnections isAdmin={isAdmin(actor.role)} />
    </HydrationBoundary>
  );
}
