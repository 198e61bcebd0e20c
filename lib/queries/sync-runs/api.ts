import { apiFetch, toSearchParams } from "@/lib/queries/fetcher";
import { type TPage } from "@/lib/schemas/common";
import { type TRetrySyncRunResult, type TSyncEventDto, type TSyncRunDetail, type TSyncRunDto } from "@/lib/schemas/sync-runs";

export const fetchSyncRuns = (filters: Record<string, unknown>) => apiFetch<TPage<TSyncRunDto>>(`/api/sync-runs${toSearchParams(filters)}`);
export const fetchSyncRun = (id: string) => apiFetch<TSyncRunDetail>(`/api/sync-runs/${id}`);
export const fetchSyncEvents = (id: string, filters: Record<string, unknown>) =>
  apiFetch<TPage<TSyncEventDto>>(`/api/sync-runs/${id}/events${toSearchParams(filters)}`);
export const retrySyncRun = (id: string) => apiFetch<TRetrySyncRunResult>(`/api/sync-runs/${id}/retry`, { method: "POST" });
/** The CSV download address for a run's events with the given filters (paging left out). */
export const syncEventsCsvUrl = (id: string, filters: Record<string, unknown>) => {
  const { page: _page, pageSize: _pageSize, ...rest } = filters;
  return `/api/sync-runs/${id}/events.csv${toSearchParams(rest)}`;
};
