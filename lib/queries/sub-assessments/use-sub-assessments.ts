"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchFinding, fetchRecommendationVulnerabilities, type TVulnerabilityFilter } from "./api";
import { subAssessmentKeys } from "./keys";

export function useFindingDetail(id: string) {
  return useQuery({ queryKey: subAssessmentKeys.finding(id), queryFn: () => fetchFinding(id) });
}

export function useRecommendationVulnerabilities(key: string, filter: TVulnerabilityFilter) {
  return useQuery({
    queryKey: subAssessmentKeys.recommendation(key, filter),
    queryFn: () => fetchRecommendationVulnerabilities(key, filter),
    placeholderData: keepPreviousData,
  });
}
