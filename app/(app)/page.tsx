import type { Metadata } from "next";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { OverviewView } from "@/components/overview/overview-view";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/page";
import { getOverview } from "@/lib/overview/overview";
import { overviewKeys } from "@/lib/queries/overview/keys";
import { makeQueryClient } from "@/lib/queries/query-client";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const actor = await requirePageActor();
  const qc = makeQueryClient();
  await qc.prefetchQuery({ queryKey: overviewKeys.all, queryFn: () => getOverview(actor) });
  return (
    <>
      <PageHeader
        title="Overview"
        description="Secure score, findings, tickets and the state of every sync — each number opens the view that explains it."
      />
      <HydrationBoundary state={dehydrate(qc)}>
        <OverviewView />
      </HydrationBoundary>
    </>
  );
}
