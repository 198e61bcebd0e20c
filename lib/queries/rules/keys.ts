export const ruleKeys = {
  all: ["rules"] as const,
  list: (filters: Record<string, unknown>) => [...ruleKeys.all, "list", filters] as const,
  dryRun: (id: string, paging: { page: number; pageSize: number }) => [...ruleKeys.all, "dry-run", id, paging] as const,
};
