"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type TSavedViewPage, type TUpdateSavedView } from "@/lib/schemas/saved-views";
import { createSavedView, deleteSavedView, fetchSavedView, fetchSavedViews, updateSavedView } from "./api";
import { savedViewKeys } from "./keys";

export function useSavedViews(page: TSavedViewPage, enabled = true) {
  return useQuery({ queryKey: savedViewKeys.list(page), queryFn: () => fetchSavedViews(page), enabled });
}

export function useSavedView(id: string | null) {
  return useQuery({ queryKey: savedViewKeys.detail(id ?? ""), queryFn: () => fetchSavedView(id!), enabled: id !== null, retry: false });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: savedViewKeys.all });
}

export function useCreateSavedView() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: createSavedView, onSuccess: invalidate });
}

export function useUpdateSavedView() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: TUpdateSavedView }) => updateSavedView(id, input),
    onSuccess: invalidate,
  });
}

export function useDeleteSavedView() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: deleteSavedView, onSuccess: invalidate });
}
