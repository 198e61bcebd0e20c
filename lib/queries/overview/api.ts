import { apiFetch } from "@/lib/queries/fetcher";
import { type TOverview } from "@/lib/schemas/overview";

export const fetchOverview = () => apiFetch<TOverview>("/api/overview");
