"use client";
import { type QueryKey, useMutation, useQueryClient } from "@tanstack/react-query";

/**
 * A mutation that, once it succeeds, refetches the queries under `queryKey` (every query when none is
 * given) before it resolves, so what the page shows next already includes the change.
 */
export function useInvalidatingMutation<TData, TVariables = void>(
  mutationFn: (variables: TVariables) => Promise<TData>,
  queryKey?: QueryKey,
) {
  const qc = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => qc.invalidateQueries(queryKey ? { queryKey } : undefined) });
}
