import { apiFetch, toSearchParams } from "@/lib/queries/fetcher";
import {
  type TAzureTenantDto,
  type TAzureTestResult,
  type TCreateAzureTenantInput,
  type TSyncAccepted,
  type TUpdateAzureTenantInput,
} from "@/lib/schemas/azure-tenants";
import { type TPage } from "@/lib/schemas/common";

export const fetchAzureTenants = (filters: Record<string, unknown>) =>
  apiFetch<TPage<TAzureTenantDto>>(`/api/azure-tenants${toSearchParams(filters)}`);
export const createAzureTenant = (input: TCreateAzureTenantInput) =>
  apiFetch<TAzureTenantDto>("/api/azure-tenants", { method: "POST", json: input });
export const updateAzureTenant = (id: string, input: TUpdateAzureTenantInput) =>
  apiFetch<TAzureTenantDto>(`/api/azure-tenants/${id}`, { method: "PATCH", json: input });
export const archiveAzureTenant = (id: string) => apiFetch<TAzureTenantDto>(`/api/azure-tenants/${id}`, { method: "DELETE" });
export const testAzureTenant = (id: string) => apiFetch<TAzureTestResult>(`/api/azure-tenants/${id}/test`, { method: "POST" });
export const syncAzureTenant = (id: string, mode: "full" | "incremental") =>
  apiFetch<TSyncAccepted>(`/api/azure-tenants/${id}/sync${toSearchParams({ mode })}`, { method: "POST" });
