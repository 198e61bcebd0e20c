import { apiFetch, toSearchParams } from "@/lib/queries/fetcher";
import { type TPage } from "@/lib/schemas/common";
import { type TCcCoverage, type TCcCoverageQuery, type TCcTaskRow, type TCcTasksQuery } from "@/lib/schemas/compliance-cc";

export const fetchCcCoverage = (query: TCcCoverageQuery) => apiFetch<TCcCoverage>(`/api/compliance/cc${toSearchParams(query)}`);
export const fetchCcTasks = (query: TCcTasksQuery) => apiFetch<TPage<TCcTaskRow>>(`/api/compliance/cc/tasks${toSearchParams(query)}`);
