"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useInvalidatingMutation } from "@/lib/queries/mutation";
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
  return useInvalidatingMutation((input: TCreateAzureTenantInput) => createAzureTenant(input), azureTenantKeys.all);
}

export function useUpdateAzureTenant() {
  return useInvalidatingMutation(
    ({ id, input }: { id: string; input: TUpdateAzureTenantInput }) => updateAzureTenant(id, input),
    azureTenantKeys.all,
  );
}

export function useArchiveAzureTenant() {
  // Archiving changes what the workspace lists: refresh everything.
  return useInvalidatingMutation(archiveAzureTenant);
}

export function useTestAzureTenant() {
  // A test discovers subscriptions: the list shows them afterwards.
  return useInvalidatingMutation(testAzureTenant, azureTenantKeys.all);
}

export function useSyncAzureTenant() {
  return useInvalidatingMutation(
    ({ id, mode }: { id: string; mode: "full" | "incremental" }) => syncAzureTenant(id, mode),
    azureTenantKeys.all,
  );
}
