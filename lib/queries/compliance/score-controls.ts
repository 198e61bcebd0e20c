"use client";
import { useQuery } from "@tanstack/react-query";
import { apiFetch, toSearchParams } from "@/lib/queries/fetcher";
import { type TScoreControls } from "@/lib/schemas/score-controls";
import { complianceKeys } from "./keys";

export const scoreControlsKey = (subscriptionId: string | null) => [...complianceKeys.all, "score-controls", subscriptionId] as const;

export const fetchScoreControls = (subscriptionId: string | null) =>
  apiFetch<TScoreControls>(`/api/compliance/score-controls${toSearchParams({ subscriptionId })}`);

export function useScoreControls(subscriptionId: string | null) {
  return useQuery({ queryKey: scoreControlsKey(subscriptionId), queryFn: () => fetchScoreControls(subscriptionId) });
}
