import { apiFetch, toSearchParams } from "@/lib/queries/fetcher";
import { type TFindingDto } from "@/lib/schemas/findings";
import { type TRecommendationVulnerabilities, type TSubAssessmentSummary } from "@/lib/schemas/sub-assessments";

export type TFindingWithSubAssessments = TFindingDto & { subAssessments: TSubAssessmentSummary };
export type TVulnerabilityFilter = { q?: string; severity?: "High" | "Medium" | "Low" };

/** The finding page lists up to this many sub-assessments (worst first); the header says how many there are. */
export const FINDING_PAGE_SUB_LIMIT = 1000;

/** Rows of the recommendation page's vulnerabilities card. */
export const RECOMMENDATION_VULNERABILITIES_LIMIT = 200;

export const fetchFinding = (id: string) =>
  apiFetch<TFindingWithSubAssessments>(`/api/findings/${encodeURIComponent(id)}?subLimit=${FINDING_PAGE_SUB_LIMIT}`);
export const fetchRecommendationVulnerabilities = (key: string, filter: TVulnerabilityFilter) =>
  apiFetch<TRecommendationVulnerabilities>(
    `/api/recommendations/${encodeURIComponent(key)}/vulnerabilities${toSearchParams({ ...filter, limit: RECOMMENDATION_VULNERABILITIES_LIMIT })}`,
  );
