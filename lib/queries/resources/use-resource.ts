"use client";
import { useQuery } from "@tanstack/react-query";
import { fetchResource } from "./api";
import { resourceKeys } from "./keys";

export function useResource(resourceId: string) {
  return useQuery({ queryKey: resourceKeys.detail(resourceId), queryFn: () => fetchResource(resourceId) });
}
