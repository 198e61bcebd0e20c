export const auditKeys = {
  all: ["audit"] as const,
  list: (filters: Record<string, unknown>) => [...auditKeys.all, "list", filters] as const,
};
