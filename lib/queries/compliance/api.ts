import { apiFetch, toSearchParams } from "@/lib/queries/fetcher";
import {
  type TComplianceControlDetail,
  type TComplianceQuery,
  type TComplianceStandardDetail,
  type TComplianceSummary,
} from "@/lib/schemas/compliance";

const seg = encodeURIComponent;

export const fetchComplianceSummary = (query: TComplianceQuery) =>
  apiFetch<TComplianceSummary>(`/api/compliance/summary${toSearchParams(query)}`);

export const fetchComplianceStandard = (standard: string, subscriptionId: string | null) =>
  apiFetch<TComplianceStandardDetail>(`/api/compliance/standards/${seg(standard)}${toSearchParams({ subscriptionId })}`);

export const fetchComplianceControl = (standard: string, control: string, subscriptionId: string | null) =>
  apiFetch<TComplianceControlDetail>(
    `/api/compliance/standards/${seg(standard)}/controls/${seg(control)}${toSearchParams({ subscriptionId })}`,
  );

/** Where the CSV export of the current filters downloads from (a plain link: the browser saves it). */
export function complianceCsvHref(query: TComplianceQuery, report: "trend" | "controls", standard?: string | null): string {
  return `/api/compliance/export.csv${toSearchParams({ ...query, report, standard: report === "controls" ? (standard ?? undefined) : undefined })}`;
}
