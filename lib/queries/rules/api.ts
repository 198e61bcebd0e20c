import { apiFetch, toSearchParams } from "@/lib/queries/fetcher";
import { type TPage } from "@/lib/schemas/common";
import { type TCreateRuleInput, type TDryRunResult, type TRuleDto, type TUpdateRule } from "@/lib/schemas/rules";

export const fetchRules = (filters: Record<string, unknown>) => apiFetch<TPage<TRuleDto>>(`/api/rules${toSearchParams(filters)}`);
export const createRule = (input: TCreateRuleInput) => apiFetch<TRuleDto>("/api/rules", { method: "POST", json: input });
export const updateRule = (id: string, input: TUpdateRule) => apiFetch<TRuleDto>(`/api/rules/${id}`, { method: "PATCH", json: input });
export const deleteRule = (id: string) => apiFetch<void>(`/api/rules/${id}`, { method: "DELETE" });
export const reorderRules = (connectionId: string, ruleIds: string[]) =>
  apiFetch<{ items: TRuleDto[] }>("/api/rules/reorder", { method: "POST", json: { connectionId, ruleIds } });
export const dryRunRule = (id: string, paging: { page: number; pageSize: number }) =>
  apiFetch<TDryRunResult>(`/api/rules/${id}/dry-run${toSearchParams(paging)}`, { method: "POST" });
export const dryRunDraft = (draft: TCreateRuleInput & { ruleId?: string }, paging: { page: number; pageSize: number }) =>
  apiFetch<TDryRunResult>(`/api/rules/dry-run${toSearchParams(paging)}`, { method: "POST", json: draft });
