import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RecommendationDetailView } from "@/components/recommendations/recommendation-detail";
import { Forbidden } from "@/components/shell/forbidden";
import { requirePageActor } from "@/lib/auth/page";
import { canWrite, hasRole } from "@/lib/auth/roles";
import { listFindings } from "@/lib/findings/list";
import { recommendationVulnerabilities } from "@/lib/findings/sub-assessments";
import { findingKeys } from "@/lib/queries/findings/keys";
import { makeQueryClient } from "@/lib/queries/query-client";
import { recommendationKeys } from "@/lib/queries/recommendations/keys";
import { RECOMMENDATION_VULNERABILITIES_LIMIT } from "@/lib/queries/sub-assessments/api";
import { subAssessmentKeys } from "@/lib/queries/sub-assessments/keys";
import { getRecommendation } from "@/lib/recommendations/detail-sql";
import { getRecommendationFacets } from "@/lib/recommendations/facets";
import { findingsQueryOf } from "@/lib/schemas/findings";
import { ZRecommendationKeyParams } from "@/lib/schemas/recommendations";
import { PrefetchedPage } from "@/components/shell/prefetched-page";
import { loadOr404 } from "../../_page/load";

export const metadata: Metadata = { title: "Recommendation" };

type Props = { params: Promise<{ key: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function RecommendationPage({ params, searchParams }: Props) {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "manager")) return <Forbidden need="Manager" />;
  const parsed = ZRecommendationKeyParams.safeParse(await params);
  if (!parsed.success) notFound();
  const key = parsed.data.key;
  const detail = await loadOr404(() => getRecommendation(actor, key));
  const query = findingsQueryOf({ ...(await searchParams), recommendationKey: key });
  const qc = makeQueryClient();
  qc.setQueryData(recommendationKeys.detail(key), detail);
  const [facets] = await Promise.all([
    getRecommendationFacets(actor),
    qc.prefetchQuery({ queryKey: findingKeys.list(query), queryFn: () => listFindings(actor, query) }),
    // The vulnerabilities card's first view (unfiltered), so CVEs are in the first paint.
    qc.prefetchQuery({
      queryKey: subAssessmentKeys.recommendation(key, {}),
      queryFn: () => recommendationVulnerabilities(actor, key, { limit: RECOMMENDATION_VULNERABILITIES_LIMIT }),
    }),
  ]);
  return (
    <PrefetchedPage client={qc}>
      <RecommendationDetailView recKey={key} facets={facets} canWrite={canWrite(actor.role)} />
    </PrefetchedPage>
  );
}
