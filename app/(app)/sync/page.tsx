import type { Metadata } from "next";
import { Forbidden } from "@/components/shell/forbidden";
import { syncRunFiltersOf } from "@/components/sync/sync-filters";
import { SyncRunsView } from "@/components/sync/sync-runs-view";
import { requirePageActor } from "@/lib/auth/page";
import { hasRole } from "@/lib/auth/roles";
import { listConnectionNames } from "@/lib/connections/service";
import { makeQueryClient } from "@/lib/queries/query-client";
import { syncRunKeys } from "@/lib/queries/sync-runs/keys";
import { ZSyncRunsQuery } from "@/lib/schemas/sync-runs";
import { listSyncRuns } from "@/lib/sync-history/runs";
import { PrefetchedPage } from "@/components/shell/prefetched-page";
import { prefetchParsed } from "../_page/load";

export const metadata: Metadata = { title: "Sync history" };

export default async function SyncHistoryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "manager")) return <Forbidden need="Manager" />;
  const filters = syncRunFiltersOf(await searchParams);
  const qc = makeQueryClient();
  await prefetchParsed(qc, ZSyncRunsQuery, filters, syncRunKeys.list(filters), (query) => listSyncRuns(actor, query));
  const connections = await listConnectionNames();
  return (
    <PrefetchedPage
      client={qc}
      header={{
        title: "Sync history",
        description:
          "Every sync run — scheduled, on demand, from a ServiceNow webhook or at startup — with its progress, and every change it made.",
      }}
    >
      <SyncRunsView connections={connections} />
    </PrefetchedPage>
  );
}
