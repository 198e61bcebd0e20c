"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchAudit } from "@/lib/queries/audit/api";
import { auditKeys } from "@/lib/queries/audit/keys";

export function useAudit(filters: Record<string, unknown>) {
  return useQuery({ queryKey: auditKeys.list(filters), queryFn: () => fetchAudit(filters), placeholderData: keepPreviousData });
}
