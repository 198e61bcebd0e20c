import type { Metadata } from "next";
import { OverviewView } from "@/components/overview/overview-view";
import { requirePageActor } from "@/lib/auth/page";
import { getOverview } from "@/lib/overview/overview";
import { overviewKeys } from "@/lib/queries/overview/keys";
import { makeQueryClient } from "@/lib/queries/query-client";
import { PrefetchedPage } from "@/components/shell/prefetched-page";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const actor = await requirePageActor();
  const qc = makeQueryClient();
  await qc.prefetchQuery({ queryKey: overviewKeys.all, queryFn: () => getOverview(actor) });
  return (
    <PrefetchedPage
      client={qc}
      suspense={false}
      header={{
        title: "Overview",
        description: "Secure score, findings, tickets and the state of every sync — each number opens the view that explains it.",
      }}
    >
      <OverviewView />
    </PrefetchedPage>
  );
}
