import type { Metadata } from "next";
import { Suspense } from "react";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { Forbidden } from "@/components/shell/forbidden";
import { syncRunFiltersOf } from "@/components/sync/sync-filters";
import { SyncRunsView } from "@/components/sync/sync-runs-view";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingState } from "@/components/ui/states";
import { requirePageActor } from "@/lib/auth/page";
import { hasRole } from "@/lib/auth/roles";
import { listConnectionNames } from "@/lib/connections/service";
import { makeQueryClient } from "@/lib/queries/query-client";
import { syncRunKeys } from "@/lib/queries/sync-runs/keys";
import { ZSyncRunsQuery } from "@/lib/schemas/sync-runs";
import { listSyncRuns } from "@/lib/sync-history/runs";

export const metadata: Metadata = { title: "Sync history" };

export default async function SyncHistoryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "manager")) return <Forbidden need="Manager" />;
  const filters = syncRunFiltersOf(await searchParams);
  const qc = makeQueryClient();
  const parsed = ZSyncRunsQuery.safeParse(filters);
  if (parsed.success) await qc.prefetchQuery({ queryKey: syncRunKeys.list(filters), queryFn: () => listSyncRuns(actor, parsed.data) });
  const connections = await listConnectionNames();
  return (
    <>
      <PageHeader
        title="Sync history"
        description="Every sync run — scheduled, on demand, from a ServiceNow webhook or at startup — with its progress, and every change it made."
      />
      <HydrationBoundary state={dehydrate(qc)}>
        <Suspense fallback={<LoadingState />}>
          <SyncRunsView connections={connections} />
        </Suspense>
      </HydrationBoundary>
    </>
  );
}
