import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { Forbidden } from "@/components/shell/forbidden";
import { syncEventFiltersOf } from "@/components/sync/sync-filters";
import { SyncRunView } from "@/components/sync/sync-run-view";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingState } from "@/components/ui/states";
import { requirePageActor } from "@/lib/auth/page";
import { canWrite, hasRole } from "@/lib/auth/roles";
import { isAppError } from "@/lib/http/errors";
import { makeQueryClient } from "@/lib/queries/query-client";
import { syncRunKeys } from "@/lib/queries/sync-runs/keys";
import { ZUuid } from "@/lib/schemas/common";
import { SYNC_KIND_LABEL, ZSyncEventsQuery } from "@/lib/schemas/sync-runs";
import { listSyncEvents } from "@/lib/sync-history/events";
import { getSyncRun } from "@/lib/sync-history/runs";

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
  let run;
  try {
    run = await getSyncRun(actor, id);
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  const filters = syncEventFiltersOf(await searchParams);
  const qc = makeQueryClient();
  qc.setQueryData(syncRunKeys.detail(id), run);
  const parsed = ZSyncEventsQuery.safeParse(filters);
  if (parsed.success)
    await qc.prefetchQuery({ queryKey: syncRunKeys.events(id, filters), queryFn: () => listSyncEvents(actor, id, parsed.data) });
  const where = run.connection?.name ?? run.azureTenant?.name;
  return (
    <>
      <PageHeader
        title={`${SYNC_KIND_LABEL[run.kind]}${where ? ` — ${where}` : ""}`}
        breadcrumb={
          <Link href="/sync" className="hover:underline">
            Sync history
          </Link>
        }
      />
      <HydrationBoundary state={dehydrate(qc)}>
        <Suspense fallback={<LoadingState />}>
          <SyncRunView id={id} canRetry={canWrite(actor.role)} />
        </Suspense>
      </HydrationBoundary>
    </>
  );
}
