"use client";
import { useQuery } from "@tanstack/react-query";
import { useInvalidatingMutation } from "@/lib/queries/mutation";
import { type TSavedViewPage, type TUpdateSavedView } from "@/lib/schemas/saved-views";
import { createSavedView, deleteSavedView, fetchSavedView, fetchSavedViews, updateSavedView } from "./api";
import { savedViewKeys } from "./keys";

export function useSavedViews(page: TSavedViewPage, enabled = true) {
  return useQuery({ queryKey: savedViewKeys.list(page), queryFn: () => fetchSavedViews(page), enabled });
}

export function useSavedView(id: string | null) {
  return useQuery({ queryKey: savedViewKeys.detail(id ?? ""), queryFn: () => fetchSavedView(id!), enabled: id !== null, retry: false });
}

export function useCreateSavedView() {
  return useInvalidatingMutation(createSavedView, savedViewKeys.all);
}

export function useUpdateSavedView() {
  return useInvalidatingMutation(({ id, input }: { id: string; input: TUpdateSavedView }) => updateSavedView(id, input), savedViewKeys.all);
}

export function useDeleteSavedView() {
  return useInvalidatingMutation(deleteSavedView, savedViewKeys.all);
}
