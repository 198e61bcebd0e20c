import { apiFetch, toSearchParams } from "@/lib/queries/fetcher";
import { type TConnectionSyncStatus, type TRunSyncResponse } from "@/lib/sync/schemas";

export const fetchConnectionSync = (connectionId: string) => apiFetch<TConnectionSyncStatus>(`/api/connections/${connectionId}/sync`);
export const runConnectionSync = (connectionId: string, mode: "incremental" | "full" = "incremental") =>
  apiFetch<TRunSyncResponse>(`/api/connections/${connectionId}/sync${toSearchParams({ mode: mode === "full" ? "full" : undefined })}`, {
    method: "POST",
  });
