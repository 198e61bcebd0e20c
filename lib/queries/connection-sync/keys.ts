export const connectionSyncKeys = {
  all: ["connection-sync"] as const,
  status: (connectionId: string) => [...connectionSyncKeys.all, "status", connectionId] as const,
};
