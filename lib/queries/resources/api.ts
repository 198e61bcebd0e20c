import { apiFetch } from "@/lib/queries/fetcher";
import { resourceApiPath, type TResourceDetail } from "@/lib/schemas/resources";

export const fetchResource = (resourceId: string) => apiFetch<TResourceDetail>(resourceApiPath(resourceId));
