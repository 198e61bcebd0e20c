"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createToken, fetchTokens, revokeToken } from "@/lib/queries/tokens/api";
import { tokenKeys } from "@/lib/queries/tokens/keys";

export function useTokens(page: number) {
  return useQuery({ queryKey: tokenKeys.list(page), queryFn: () => fetchTokens(page) });
}

export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: createToken, onSuccess: () => qc.invalidateQueries({ queryKey: tokenKeys.all }) });
}

export function useRevokeToken() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: revokeToken, onSuccess: () => qc.invalidateQueries({ queryKey: tokenKeys.all }) });
}
