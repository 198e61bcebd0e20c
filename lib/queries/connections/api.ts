import { apiFetch, toSearchParams } from "@/lib/queries/fetcher";
import { type TPage } from "@/lib/schemas/common";
import {
  type TArchivedConnection,
  type TConnectionGovernance,
  type TConnectionTestResult,
  type TCreateConnectionInput,
  type TDirectoryGroup,
  type TDirectoryPage,
  type TDirectoryUser,
  type TServiceNowConnectionDto,
  type TUpdateConnection,
} from "@/lib/schemas/connections";
import { type TSchemaTable, type TTableSchema } from "@/lib/schemas/instance-schema";

export const fetchConnections = (filters: Record<string, unknown>) =>
  apiFetch<TPage<TServiceNowConnectionDto>>(`/api/connections${toSearchParams(filters)}`);
export const createConnection = (input: TCreateConnectionInput) =>
  apiFetch<TServiceNowConnectionDto>("/api/connections", { method: "POST", json: input });
export const updateConnection = (id: string, input: TUpdateConnection) =>
  apiFetch<TServiceNowConnectionDto>(`/api/connections/${id}`, { method: "PATCH", json: input });
export const archiveConnection = ({ id, removeGovernance }: { id: string; removeGovernance: boolean }) =>
  apiFetch<TArchivedConnection>(`/api/connections/${id}${toSearchParams({ removeGovernance })}`, { method: "DELETE" });
export const fetchConnectionGovernance = (id: string) => apiFetch<TConnectionGovernance>(`/api/connections/${id}/governance`);
export const testConnection = (id: string) => apiFetch<TConnectionTestResult>(`/api/connections/${id}/test`, { method: "POST" });
export const searchUsers = (id: string, q: string, offset = 0) =>
  apiFetch<TDirectoryPage<TDirectoryUser>>(`/api/connections/${id}/users${toSearchParams({ q, limit: 10, offset })}`);
export const searchGroups = (id: string, q: string, offset = 0) =>
  apiFetch<TDirectoryPage<TDirectoryGroup>>(`/api/connections/${id}/groups${toSearchParams({ q, limit: 10, offset })}`);
export const fetchTableSchema = (id: string, table: TSchemaTable) =>
  apiFetch<TTableSchema>(`/api/connections/${id}/schema${toSearchParams({ table })}`);
