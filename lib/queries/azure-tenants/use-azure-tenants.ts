"use client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type TAzureTenantDto, type TCreateAzureTenantInput, type TUpdateAzureTenantInput } from "@/lib/schemas/azure-tenants";
import { type TPage } from "@/lib/schemas/common";
import { archiveAzureTenant, createAzureTenant, fetchAzureTenants, syncAzureTenant, testAzureTenant, updateAzureTenant } from "./api";
import { azureTenantKeys } from "./keys";

const isBusy = (page: TPage<TAzureTenantDto> | undefined) =>
  page?.items.some((t) => t.lastRun?.status === "queued" || t.lastRun?.status === "running") ?? false;

/** Polls every 2 s while an ingestion is queued or running, so its progress shows. */
export function useAzureTenants(filters: { includeArchived?: boolean; pageSize?: number }) {
  return useQuery({
    queryKey: azureTenantKeys.list(filters),
    queryFn: () => fetchAzureTenants(filters),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (isBusy(query.state.data) ? 2_000 : false),
  });
}

export function useCreateAzureTenant() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: TCreateAzureTenantInput) => createAzureTenant(input),
    onSuccess: () => qc.invalidateQueries({ queryKey: azureTenantKeys.all }),
  });
}

export function useUpdateAzureTenant() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: TUpdateAzureTenantInput }) => updateAzureTenant(id, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: azureTenantKeys.all }),
  });
}

export function useArchiveAzureTenant() {
  const qc = useQueryClient();
  // Archiving changes what the workspace lists: refresh everything.
  return useMutation({ mutationFn: archiveAzureTenant, onSuccess: () => qc.invalidateQueries() });
}

export function useTestAzureTenant() {
  const qc = useQueryClient();
  // A test discovers subscriptions: the list shows them afterwards.
  return useMutation({ mutationFn: testAzureTenant, onSuccess: () => qc.invalidateQueries({ queryKey: azureTenantKeys.all }) });
}

export function useSyncAzureTenant() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, mode }: { id: string; mode: "full" | "incremental" }) => syncAzureTenant(id, mode),
    onSuccess: () => qc.invalidateQueries({ queryKey: azureTenantKeys.all }),
  });
}
