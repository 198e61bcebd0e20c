import { apiFetch, toSearchParams } from "@/lib/queries/fetcher";
import { type TCursorPage } from "@/lib/schemas/common";
import { type TFindingDto, type TFindingsQuery } from "@/lib/schemas/findings";

export const fetchFindings = (query: TFindingsQuery) => apiFetch<TCursorPage<TFindingDto>>(`/api/findings${toSearchParams(query)}`);
