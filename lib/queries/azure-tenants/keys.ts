export const azureTenantKeys = {
  all: ["azure-tenants"] as const,
  list: (filters: Record<string, unknown>) => [...azureTenantKeys.all, "list", filters] as const,
  detail: (id: string) => [...azureTenantKeys.all, "detail", id] as const,
};
