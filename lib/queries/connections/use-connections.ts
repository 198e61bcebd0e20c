"use client";
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { useInvalidatingMutation } from "@/lib/queries/mutation";
import {
  type TCreateConnectionInput,
  type TDirectoryGroup,
  type TDirectoryPage,
  type TDirectoryUser,
  type TUpdateConnection,
} from "@/lib/schemas/connections";
import { type TSchemaTable } from "@/lib/schemas/instance-schema";
import {
  archiveConnection,
  createConnection,
  fetchConnectionGovernance,
  fetchConnections,
  fetchTableSchema,
  searchGroups,
  searchUsers,
  testConnection,
  updateConnection,
} from "./api";
import { connectionKeys } from "./keys";

export function useConnections(
  filters: { includeArchived?: boolean; module?: "itsm" | "cc"; pageSize?: number },
  options: { enabled?: boolean } = {},
) {
  return useQuery({
    queryKey: connectionKeys.list(filters),
    queryFn: () => fetchConnections(filters),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}

export function useCreateConnection() {
  return useInvalidatingMutation((input: TCreateConnectionInput) => createConnection(input), connectionKeys.all);
}

export function useUpdateConnection() {
  return useInvalidatingMutation(
    ({ id, input }: { id: string; input: TUpdateConnection }) => updateConnection(id, input),
    connectionKeys.all,
  );
}

export function useArchiveConnection() {
  return useInvalidatingMutation(archiveConnection, connectionKeys.all);
}

/** How many Defender governance assignments the connection's tickets have (shown before archiving). */
export function useConnectionGovernance(id: string | null) {
  return useQuery({ queryKey: connectionKeys.governance(id ?? ""), queryFn: () => fetchConnectionGovernance(id!), enabled: id !== null });
}

export function useTestConnection() {
  return useMutation({ mutationFn: testConnection });
}

/** Users or groups of a connection's instance matching `q` (the pickers of the ticket form). */
/** Users or groups of a connection's instance matching `q`, ten at a time (the pickers load more on scroll). */
export function useDirectory(connectionId: string | null, kind: "users" | "groups", q: string) {
  return useInfiniteQuery({
    queryKey: connectionKeys.directory(connectionId ?? "", kind, q),
    queryFn: ({ pageParam }): Promise<TDirectoryPage<TDirectoryUser | TDirectoryGroup>> =>
      kind === "users" ? searchUsers(connectionId!, q, pageParam) : searchGroups(connectionId!, q, pageParam),
    initialPageParam: 0,
    getNextPageParam: (last) => last.nextOffset ?? undefined,
    enabled: Boolean(connectionId),
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
}

/** What PostureDesk discovered about one table of a connection's instance (fields, choices, mandatory). */
export function useTableSchema(connectionId: string | null, table: TSchemaTable) {
  return useQuery({
    queryKey: connectionKeys.schema(connectionId ?? "", table),
    queryFn: () => fetchTableSchema(connectionId!, table),
    enabled: Boolean(connectionId),
    staleTime: 60_000,
  });
}
