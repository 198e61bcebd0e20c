import type { Metadata } from "next";
import { Suspense } from "react";
import { FindingsView } from "@/components/findings/findings-view";
import { ViewToggle } from "@/components/recommendations/view-toggle";
import { SavedViews } from "@/components/saved-views/saved-views";
import { openSavedViewLink } from "@/lib/saved-views/open-link";
import { Forbidden } from "@/components/shell/forbidden";
import { requirePageActor } from "@/lib/auth/page";
import { canWrite, hasRole } from "@/lib/auth/roles";
import { listFindings } from "@/lib/findings/list";
import { findingKeys } from "@/lib/queries/findings/keys";
import { makeQueryClient } from "@/lib/queries/query-client";
import { getRecommendationFacets } from "@/lib/recommendations/facets";
import { findingsQueryOf } from "@/lib/schemas/findings";
import { PrefetchedPage } from "@/components/shell/prefetched-page";

export const metadata: Metadata = { title: "Findings" };

export default async function FindingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "manager")) return <Forbidden need="Manager" />;
  const search = await searchParams;
  await openSavedViewLink(actor, "findings", search);
  const query = findingsQueryOf(search);
  const qc = makeQueryClient();
  const [facets] = await Promise.all([
    getRecommendationFacets(actor),
    qc.prefetchQuery({ queryKey: findingKeys.list(query), queryFn: () => listFindings(actor, query) }),
  ]);
  return (
    <PrefetchedPage
      client={qc}
      header={{
        title: "Findings",
        description: "Every recommendation on every resource, with its status and the ticket that tracks it.",
        actions: (
          <Suspense>
            <SavedViews page="findings" />
            <ViewToggle current="findings" />
          </Suspense>
        ),
      }}
    >
      <FindingsView facets={facets} canWrite={canWrite(actor.role)} />
    </PrefetchedPage>
  );
}
