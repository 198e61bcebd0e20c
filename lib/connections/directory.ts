import "server-only";

// People and assignment groups of a ServiceNow instance (sys_user, sys_user_group): exact lookups for
// ticket fields (the platform stores an unknown reference silently, so we must check it exists) and
// searches for the pickers. A reference is a sys_id, a user name or e-mail (users), or a display name;
// a display name shared by several records is ambiguous and refused by the callers rather than guessed.
// Found lookups are cached briefly per connection (bulk creation asks for the same group for every
// ticket); picker searches for 30 seconds (every keystroke of every analyst would otherwise reach the
// instance, and a person's directory entry rarely changes within a minute).
import { q, cellValue, type ServiceNowClient, type ServiceNowRecord } from "@/lib/servicenow";
import { type TDirectoryGroup, type TDirectoryPage, type TDirectoryUser } from "@/lib/schemas/connections";

const SYS_ID = /^[0-9a-f]{32}$/i;
const LOOKUP_TTL_MS = 5 * 60_000;
const SEARCH_TTL_MS = 30_000;
const MAX_ENTRIES = 5000;

type Entry = { value: unknown; at: number };
const globalForDirectory = globalThis as typeof globalThis & { __posturedeskSnDirectory?: Map<string, Entry> };
const cache = (globalForDirectory.__posturedeskSnDirectory ??= new Map());

async function cached<T>(key: string, ttlMs: number, load: () => Promise<T>, isWorthKeeping: (value: T) => boolean): Promise<T> {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < ttlMs) return hit.value as T;
  const value = await load();
  // A miss is not remembered: someone may be creating that group in ServiceNow right now.
  if (!isWorthKeeping(value)) return value;
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(key, { value, at: Date.now() });
  return value;
}

/** Drops a connection's cached lookups and searches (its configuration changed). */
export function forgetDirectory(connectionId: string): void {
  for (const key of cache.keys()) if (key.startsWith(`${connectionId}:`)) cache.delete(key);
}

/** The outcome of resolving a reference: one record, none, or several sharing the display name. */
export type DirectoryMatch<T> = { kind: "found"; item: T } | { kind: "none" } | { kind: "ambiguous"; count: number };

const USER_FIELDS = ["sys_id", "name", "user_name", "email"];
const GROUP_FIELDS = ["sys_id", "name"];

const toUser = (r: ServiceNowRecord): TDirectoryUser => ({
  sysId: cellValue(r.sys_id),
  name: cellValue(r.name),
  userName: cellValue(r.user_name),
  email: cellValue(r.email),
});
const toGroup = (r: ServiceNowRecord): TDirectoryGroup => ({ sysId: cellValue(r.sys_id), name: cellValue(r.name) });

function matchOf<T>(items: T[]): DirectoryMatch<T> {
  if (items.length === 0) return { kind: "none" };
  if (items.length === 1) return { kind: "found", item: items[0]! };
  return { kind: "ambiguous", count: items.length };
}

const isFound = (m: DirectoryMatch<unknown>) => m.kind === "found";

/**
 * An active user by sys_id, user name or e-mail (unique identifiers, tried first), else by display name
 * ("Ari Analyst"), which may be ambiguous. Matching is case-insensitive, as on the platform.
 */
export function findUser(client: ServiceNowClient, connectionId: string, ref: string): Promise<DirectoryMatch<TDirectoryUser>> {
  const value = ref.trim();
  return cached(
    `${connectionId}:user:${value.toLowerCase()}`,
    LOOKUP_TTL_MS,
    async () => {
      const list = async (query: ReturnType<typeof q>, limit: number) =>
        (await client.list("sys_user", { query: query.eq("active", true), fields: USER_FIELDS, limit, noCount: true })).records.map(toUser);
      if (SYS_ID.test(value)) return matchOf(await list(q().eq("sys_id", value.toLowerCase()), 2));
      const byKey = await list(q().eq("user_name", value).or().eq("email", value), 2);
      // user_name is unique on sys_user; two rows here means one's user name is the other's e-mail.
      const exactUserName = byKey.find((u) => u.userName.toLowerCase() === value.toLowerCase());
      if (exactUserName) return { kind: "found", item: exactUserName } as const;
      if (byKey.length > 0) return matchOf(byKey);
      return matchOf(await list(q().eq("name", value), 5));
    },
    isFound,
  );
}

/** An active assignment group by sys_id or name; a name several groups share is ambiguous. */
export function findGroup(client: ServiceNowClient, connectionId: string, ref: string): Promise<DirectoryMatch<TDirectoryGroup>> {
  const value = ref.trim();
  return cached(
    `${connectionId}:group:${value.toLowerCase()}`,
    LOOKUP_TTL_MS,
    async () => {
      const query = SYS_ID.test(value) ? q().eq("sys_id", value.toLowerCase()) : q().eq("name", value);
      const page = await client.list("sys_user_group", { query: query.eq("active", true), fields: GROUP_FIELDS, limit: 5, noCount: true });
      return matchOf(page.records.map(toGroup));
    },
    isFound,
  );
}

type SearchOptions = { q: string; limit: number; offset: number };

/** One page of a search, asking for one row more than the page to learn whether another page follows. */
async function searchPage<T>(
  client: ServiceNowClient,
  table: "sys_user" | "sys_user_group",
  query: ReturnType<typeof q>,
  fields: string[],
  opts: SearchOptions,
  map: (r: ServiceNowRecord) => T,
): Promise<TDirectoryPage<T>> {
  const page = await client.list(table, {
    query: query.orderBy("name"),
    fields,
    limit: opts.limit + 1,
    offset: opts.offset,
    noCount: true,
  });
  const items = page.records.slice(0, opts.limit).map(map);
  return { items, nextOffset: page.records.length > opts.limit ? opts.offset + opts.limit : null };
}

/**
 * Active users whose display name, user name or e-mail contains `text`
 * (`nameLIKEt^ORuser_nameLIKEt^ORemailLIKEt^active=true`); a sys_id finds its own record too, so a stored
 * reference can be shown by name.
 */
export function searchUsers(client: ServiceNowClient, connectionId: string, opts: SearchOptions): Promise<TDirectoryPage<TDirectoryUser>> {
  const text = opts.q;
  const query = text ? q().like("name", text).or().like("user_name", text).or().like("email", text) : q();
  if (SYS_ID.test(text)) query.or().eq("sys_id", text.toLowerCase());
  return cached(
    `${connectionId}:users?${JSON.stringify(opts)}`,
    SEARCH_TTL_MS,
    () => searchPage(client, "sys_user", query.eq("active", true), USER_FIELDS, opts, toUser),
    () => true,
  );
}

/** Active assignment groups whose name contains `text` (a sys_id finds its own group too). */
export function searchGroups(
  client: ServiceNowClient,
  connectionId: string,
  opts: SearchOptions,
): Promise<TDirectoryPage<TDirectoryGroup>> {
  const text = opts.q;
  const query = text ? q().like("name", text) : q();
  if (SYS_ID.test(text)) query.or().eq("sys_id", text.toLowerCase());
  return cached(
    `${connectionId}:groups?${JSON.stringify(opts)}`,
    SEARCH_TTL_MS,
    () => searchPage(client, "sys_user_group", query.eq("active", true), GROUP_FIELDS, opts, toGroup),
    () => true,
  );
}
