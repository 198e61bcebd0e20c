import { type TCcCoverageQuery, type TCcTasksQuery } from "@/lib/schemas/compliance-cc";

export const ccKeys = {
  all: ["compliance-cc"] as const,
  coverage: (query: TCcCoverageQuery) => [...ccKeys.all, "coverage", query] as const,
  tasks: (query: TCcTasksQuery) => [...ccKeys.all, "tasks", query] as const,
};
