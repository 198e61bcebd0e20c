"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useInvalidatingMutation } from "@/lib/queries/mutation";
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

export function useCreateRule() {
  return useInvalidatingMutation((input: TCreateRuleInput) => createRule(input), ruleKeys.all);
}

export function useUpdateRule() {
  return useInvalidatingMutation(({ id, input }: { id: string; input: TUpdateRule }) => updateRule(id, input), ruleKeys.all);
}

export function useDeleteRule() {
  return useInvalidatingMutation(deleteRule, ruleKeys.all);
}

export function useReorderRules() {
  return useInvalidatingMutation(
    ({ connectionId, ruleIds }: { connectionId: string; ruleIds: string[] }) => reorderRules(connectionId, ruleIds),
    ruleKeys.all,
  );
}
