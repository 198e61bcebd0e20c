"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { syncRunKeys } from "@/lib/queries/sync-runs/keys";
import { fetchConnectionSync, runConnectionSync } from "./api";
import { connectionSyncKeys } from "./keys";

/** A connection's sync status; polled every second while a run is queued or running, every 30 s otherwise. */
export function useConnectionSync(connectionId: string) {
  return useQuery({
    queryKey: connectionSyncKeys.status(connectionId),
    queryFn: () => fetchConnectionSync(connectionId),
    refetchInterval: (query) => (query.state.data?.activeRun ? 1_000 : 30_000),
  });
}

export function useRunConnectionSync() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ connectionId, mode }: { connectionId: string; mode?: "incremental" | "full" }) => runConnectionSync(connectionId, mode),
    onSuccess: (_data, { connectionId }) => {
      void qc.invalidateQueries({ queryKey: connectionSyncKeys.status(connectionId) });
      void qc.invalidateQueries({ queryKey: syncRunKeys.all });
    },
  });
}
