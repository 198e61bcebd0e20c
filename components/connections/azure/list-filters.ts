/** The tenant list's default query (shared by the server prefetch and the client view). */
export const AZURE_LIST_FILTERS = { includeArchived: false, pageSize: 100 } as const;
