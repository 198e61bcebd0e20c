import { apiFetch } from "@/lib/queries/fetcher";
import { type TPage } from "@/lib/schemas/common";
import { type TApiTokenDto, type TCreateToken } from "@/lib/schemas/tokens";

export const fetchTokens = (page: number) => apiFetch<TPage<TApiTokenDto>>(`/api/tokens?page=${page}&pageSize=50`);
export const createToken = (input: TCreateToken) =>
  apiFetch<{ token: string; item: TApiTokenDto }>("/api/tokens", { method: "POST", json: input });
export const revokeToken = (id: string) => apiFetch<TApiTokenDto>(`/api/tokens/${id}`, { method: "DELETE" });
