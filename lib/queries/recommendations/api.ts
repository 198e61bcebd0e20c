import { apiFetch, toSearchParams } from "@/lib/queries/fetcher";
import { type TPage } from "@/lib/schemas/common";
import { type TRecommendationDetail, type TRecommendationRow, type TRecommendationsQuery } from "@/lib/schemas/recommendations";

export const fetchRecommendations = (query: TRecommendationsQuery) =>
  apiFetch<TPage<TRecommendationRow>>(`/api/recommendations${toSearchParams(query)}`);
export const fetchRecommendation = (key: string) => apiFetch<TRecommendationDetail>(`/api/recommendations/${encodeURIComponent(key)}`);
