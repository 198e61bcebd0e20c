export const syncRunKeys = {
  all: ["sync-runs"] as const,
  list: (filters: Record<string, unknown>) => [...syncRunKeys.all, "list", filters] as const,
  detail: (id: string) => [...syncRunKeys.all, "detail", id] as const,
  events: (id: string, filters: Record<string, unknown>) => [...syncRunKeys.all, "events", id, filters] as const,
};
