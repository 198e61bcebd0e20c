"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type TFindingsQuery } from "@/lib/schemas/findings";
import { fetchFindings } from "./api";
import { findingKeys } from "./keys";

export function useFindings(query: TFindingsQuery) {
  return useQuery({ queryKey: findingKeys.list(query), queryFn: () => fetchFindings(query), placeholderData: keepPreviousData });
}
