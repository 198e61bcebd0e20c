export const connectionKeys = {
  all: ["connections"] as const,
  list: (filters: Record<string, unknown>) => [...connectionKeys.all, "list", filters] as const,
  detail: (id: string) => [...connectionKeys.all, "detail", id] as const,
  schema: (id: string, table: string) => [...connectionKeys.all, "schema", id, table] as const,
  governance: (id: string) => [...connectionKeys.all, "governance", id] as const,
  directory: (id: string, kind: "users" | "groups", q: string) => [...connectionKeys.all, "directory", id, kind, q] as const,
};
