"use client";
import { useQuery } from "@tanstack/react-query";
import { fetchOverview } from "./api";
import { overviewKeys } from "./keys";

/** The landing page's data; refreshed every 30 s so sync states move on their own. */
export function useOverview() {
  return useQuery({ queryKey: overviewKeys.all, queryFn: fetchOverview, refetchInterval: 30_000 });
}
