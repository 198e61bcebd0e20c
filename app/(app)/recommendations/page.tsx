import type { Metadata } from "next";
import { Suspense } from "react";
import { RecommendationsView } from "@/components/recommendations/recommendations-view";
import { ViewToggle } from "@/components/recommendations/view-toggle";
import { SavedViews } from "@/components/saved-views/saved-views";
import { openSavedViewLink } from "@/lib/saved-views/open-link";
import { Forbidden } from "@/components/shell/forbidden";
import { requirePageActor } from "@/lib/auth/page";
import { hasRole } from "@/lib/auth/roles";
import { makeQueryClient } from "@/lib/queries/query-client";
import { recommendationKeys } from "@/lib/queries/recommendations/keys";
import { getRecommendationFacets } from "@/lib/recommendations/facets";
import { listRecommendations } from "@/lib/recommendations/list-sql";
import { recommendationsQueryOf } from "@/lib/schemas/recommendations";
import { PrefetchedPage } from "@/components/shell/prefetched-page";

export const metadata: Metadata = { title: "Recommendations" };

export default async function RecommendationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "manager")) return <Forbidden need="Manager" />;
  // The same parse as the client view: the first paint is served from this prefetch.
  const search = await searchParams;
  await openSavedViewLink(actor, "recommendations", search);
  const query = recommendationsQueryOf(search);
  const qc = makeQueryClient();
  const [facets] = await Promise.all([
    getRecommendationFacets(actor),
    qc.prefetchQuery({ queryKey: recommendationKeys.list(query), queryFn: () => listRecommendations(actor, query) }),
  ]);
  return (
    <PrefetchedPage
      client={qc}
      header={{
        title: "Recommendations",
        description: "Every Defender for Cloud recommendation with its unhealthy resources and the ServiceNow tickets that track them.",
        actions: (
          <Suspense>
            <SavedViews page="recommendations" />
            <ViewToggle current="recommendations" />
          </Suspense>
        ),
      }}
    >
      <RecommendationsView facets={facets} />
    </PrefetchedPage>
  );
}
