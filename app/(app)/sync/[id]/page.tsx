import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Forbidden } from "@/components/shell/forbidden";
import { syncEventFiltersOf } from "@/components/sync/sync-filters";
import { SyncRunView } from "@/components/sync/sync-run-view";
import { requirePageActor } from "@/lib/auth/page";
import { canWrite, hasRole } from "@/lib/auth/roles";
import { makeQueryClient } from "@/lib/queries/query-client";
import { syncRunKeys } from "@/lib/queries/sync-runs/keys";
import { ZUuid } from "@/lib/schemas/common";
import { SYNC_KIND_LABEL, ZSyncEventsQuery } from "@/lib/schemas/sync-runs";
import { listSyncEvents } from "@/lib/sync-history/events";
import { getSyncRun } from "@/lib/sync-history/runs";
import { PrefetchedPage } from "@/components/shell/prefetched-page";
import { Crumb } from "@/components/ui/page-header";
import { loadOr404, prefetchParsed } from "../../_page/load";

export const metadata: Metadata = { title: "Sync run" };

export default async function SyncRunPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "manager")) return <Forbidden need="Manager" />;
  const { id } = await params;
  if (!ZUuid.safeParse(id).success) notFound();
  const run = await loadOr404(() => getSyncRun(actor, id));
  const filters = syncEventFiltersOf(await searchParams);
  const qc = makeQueryClient();
  qc.setQueryData(syncRunKeys.detail(id), run);
  await prefetchParsed(qc, ZSyncEventsQuery, filters, syncRunKeys.events(id, filters), (query) => listSyncEvents(actor, id, query));
  const where = run.connection?.name ?? run.azureTenant?.name;
  return (
    <PrefetchedPage
      client={qc}
      header={{ title: `${SYNC_KIND_LABEL[run.kind]}${where ? ` — ${where}` : ""}`, breadcrumb: <Crumb href="/sync">Sync history</Crumb> }}
    >
      <SyncRunView id={id} canRetry={canWrite(actor.role)} />
    </PrefetchedPage>
  );
}
