"use client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type TCreateRuleInput, type TUpdateRule } from "@/lib/schemas/rules";
import { createRule, deleteRule, dryRunRule, fetchRules, reorderRules, updateRule } from "./api";
import { ruleKeys } from "./keys";

export function useRules(filters: Record<string, unknown>) {
  return useQuery({ queryKey: ruleKeys.list(filters), queryFn: () => fetchRules(filters), placeholderData: keepPreviousData });
}

/** A saved rule's dry run; recomputed every time it is opened (findings and tickets move). */
export function useDryRun(id: string | null, paging: { page: number; pageSize: number }) {
  return useQuery({
    queryKey: ruleKeys.dryRun(id ?? "", paging),
    queryFn: () => dryRunRule(id!, paging),
    enabled: id !== null,
    staleTime: 0,
    gcTime: 0,
    placeholderData: keepPreviousData,
  });
}

function useInvalidateRules() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: ruleKeys.all });
}

export function useCreateRule() {
  const invalidate = useInvalidateRules();
  return useMutation({ mutationFn: (input: TCreateRuleInput) => createRule(input), onSuccess: invalidate });
}

export function useUpdateRule() {
  const invalidate = useInvalidateRules();
  return useMutation({ mutationFn: ({ id, input }: { id: string; input: TUpdateRule }) => updateRule(id, input), onSuccess: invalidate });
}

export function useDeleteRule() {
  const invalidate = useInvalidateRules();
  return useMutation({ mutationFn: deleteRule, onSuccess: invalidate });
}

export function useReorderRules() {
  const invalidate = useInvalidateRules();
  return useMutation({
    mutationFn: ({ connectionId, ruleIds }: { connectionId: string; ruleIds: string[] }) => reorderRules(connectionId, ruleIds),
    onSuccess: invalidate,
  });
}
