"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type TFindingsQuery } from "@/lib/schemas/findings";
import { fetchFindings } from "./api";
import { findingKeys } from "./keys";

/** While a finding on the page has a ticket pending (ServiceNow has not confirmed it yet), the page follows it every few seconds. */
const PENDING_POLL_MS = 3000;

export function useFindings(query: TFindingsQuery) {
  return useQuery({
    queryKey: findingKeys.list(query),
    queryFn: () => fetchFindings(query),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some((f) => f.ticketRequest?.status === "pending") ? PENDING_POLL_MS : false),
  });
}
