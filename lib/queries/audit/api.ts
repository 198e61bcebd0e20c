import { apiFetch, toSearchParams } from "@/lib/queries/fetcher";
import { type TAuditDto } from "@/lib/schemas/audit";
import { type TPage } from "@/lib/schemas/common";

export function fetchAudit(filters: Record<string, unknown>): Promise<TPage<TAuditDto>> {
  return apiFetch(`/api/audit${toSearchParams(filters)}`);
}
