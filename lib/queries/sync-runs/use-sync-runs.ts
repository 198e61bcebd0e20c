"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useInvalidatingMutation } from "@/lib/queries/mutation";
import { type TSyncRunDto } from "@/lib/schemas/sync-runs";
import { fetchSyncEvents, fetchSyncRun, fetchSyncRuns, retrySyncRun } from "./api";
import { syncRunKeys } from "./keys";

const isActive = (run: Pick<TSyncRunDto, "status"> | undefined) => run?.status === "queued" || run?.status === "running";

/** Runs list; refreshed every 2 s while any listed run is queued or running (progress bars move). */
export function useSyncRuns(filters: Record<string, unknown>) {
  return useQuery({
    queryKey: syncRunKeys.list(filters),
    queryFn: () => fetchSyncRuns(filters),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.items.some(isActive) ? 2_000 : false),
  });
}

/** One run; polled every second while it is queued or running (no websockets needed). */
export function useSyncRun(id: string) {
  return useQuery({
    queryKey: syncRunKeys.detail(id),
    queryFn: () => fetchSyncRun(id),
    refetchInterval: (query) => (isActive(query.state.data) ? 1_000 : false),
  });
}

/** A run's events; refreshed with the run while it is active (new events keep arriving). */
export function useSyncEvents(id: string, filters: Record<string, unknown>, options: { isLive: boolean }) {
  return useQuery({
    queryKey: syncRunKeys.events(id, filters),
    queryFn: () => fetchSyncEvents(id, filters),
    placeholderData: keepPreviousData,
    refetchInterval: options.isLive ? 2_000 : false,
  });
}

export function useRetrySyncRun() {
  return useInvalidatingMutation(retrySyncRun, syncRunKeys.all);
}
