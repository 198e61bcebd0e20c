"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type TCcCoverageQuery, type TCcTasksQuery } from "@/lib/schemas/compliance-cc";
import { fetchCcCoverage, fetchCcTasks } from "./api";
import { ccKeys } from "./keys";

export function useCcCoverage(query: TCcCoverageQuery) {
  return useQuery({ queryKey: ccKeys.coverage(query), queryFn: () => fetchCcCoverage(query), placeholderData: keepPreviousData });
}

export function useCcTasks(query: TCcTasksQuery) {
  return useQuery({ queryKey: ccKeys.tasks(query), queryFn: () => fetchCcTasks(query), placeholderData: keepPreviousData });
}
