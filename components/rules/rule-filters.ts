// The /rules list's query, built the same way by the server prefetch and the client view so the first
// paint is served from the prefetch.
export function rulesFilterOf(connectionId: string | undefined) {
  return { connectionId, pageSize: 500 };
}
