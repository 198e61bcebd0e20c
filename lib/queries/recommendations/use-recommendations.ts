"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type TRecommendationsQuery } from "@/lib/schemas/recommendations";
import { fetchRecommendation, fetchRecommendations } from "./api";
import { recommendationKeys } from "./keys";

export function useRecommendations(query: TRecommendationsQuery) {
  return useQuery({
    queryKey: recommendationKeys.list(query),
    queryFn: () => fetchRecommendations(query),
    placeholderData: keepPreviousData,
  });
}

export function useRecommendation(key: string) {
  return useQuery({ queryKey: recommendationKeys.detail(key), queryFn: () => fetchRecommendation(key) });
}
