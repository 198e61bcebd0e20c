"use client";
import { useQuery } from "@tanstack/react-query";
import { useInvalidatingMutation } from "@/lib/queries/mutation";
import { createToken, fetchTokens, revokeToken } from "@/lib/queries/tokens/api";
import { tokenKeys } from "@/lib/queries/tokens/keys";

export function useTokens(page: number) {
  return useQuery({ queryKey: tokenKeys.list(page), queryFn: () => fetchTokens(page) });
}

export function useCreateToken() {
  return useInvalidatingMutation(createToken, tokenKeys.all);
}

export function useRevokeToken() {
  return useInvalidatingMutation(revokeToken, tokenKeys.all);
}
