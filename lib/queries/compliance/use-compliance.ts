"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type TComplianceQuery } from "@/lib/schemas/compliance";
import { fetchComplianceControl, fetchComplianceStandard, fetchComplianceSummary } from "./api";
import { complianceKeys } from "./keys";

export function useComplianceSummary(query: TComplianceQuery) {
  return useQuery({
    queryKey: complianceKeys.summary(query),
    queryFn: () => fetchComplianceSummary(query),
    placeholderData: keepPreviousData,
  });
}

export function useComplianceStandard(standard: string | null, subscriptionId: string | null) {
  return useQuery({
    queryKey: complianceKeys.standard(standard ?? "", subscriptionId),
    queryFn: () => fetchComplianceStandard(standard!, subscriptionId),
    enabled: standard !== null,
  });
}

export function useComplianceControl(standard: string | null, control: string | null, subscriptionId: string | null) {
  return useQuery({
    queryKey: complianceKeys.control(standard ?? "", control ?? "", subscriptionId),
    queryFn: () => fetchComplianceControl(standard!, control!, subscriptionId),
    enabled: standard !== null && control !== null,
  });
}
