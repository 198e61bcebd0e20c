import { apiFetch } from "@/lib/queries/fetcher";
import {
  type TCreateSavedView,
  type TSavedView,
  type TSavedViewList,
  type TSavedViewPage,
  type TUpdateSavedView,
} from "@/lib/schemas/saved-views";

export const fetchSavedViews = (page: TSavedViewPage) => apiFetch<TSavedViewList>(`/api/saved-views?page=${page}`);
export const fetchSavedView = (id: string) => apiFetch<TSavedView>(`/api/saved-views/${encodeURIComponent(id)}`);
export const createSavedView = (input: TCreateSavedView) => apiFetch<TSavedView>("/api/saved-views", { method: "POST", json: input });
export const updateSavedView = (id: string, input: TUpdateSavedView) =>
  apiFetch<TSavedView>(`/api/saved-views/${id}`, { method: "PATCH", json: input });
export const deleteSavedView = (id: string) => apiFetch<void>(`/api/saved-views/${id}`, { method: "DELETE" });
