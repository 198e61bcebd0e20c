import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { listAzureTenants } from "@/lib/azure-tenants/service";
import { type PageActor } from "@/lib/auth/page";
import { canWrite, isAdmin } from "@/lib/auth/roles";
import { azureTenantKeys } from "@/lib/queries/azure-tenants/keys";
import { makeQueryClient } from "@/lib/queries/query-client";
import { AzureTenants } from "@/components/connections/azure/azure-tenants";
import { AZURE_LIST_FILTERS } from "@/components/connections/azure/list-filters";

/** Azure tenant connections (list, add, edit, test, sync, archive), prefetched for the first paint. */
export async function AzureTenantsSection({ actor }: { actor: PageActor }) {
  const qc = makeQueryClient();
  await qc.prefetchQuery({
    queryKey: azureTenantKeys.list(AZURE_LIST_FILTERS),
    queryFn: () =>
      listAzureTenants(actor, { page: 1, pageSize: AZURE_LIST_FILTERS.pageSize, includeArchived: AZURE_LIST_FILTERS.includeArchived }),
  });
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <AzureTenants isAdmin={isAdmin(actor.role)} canSync={canWrite(actor.role)} />
    </HydrationBoundary>
  );
}
