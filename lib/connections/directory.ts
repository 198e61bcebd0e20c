import "server-only";

// People and assignment groups of a ServiceNow instance (sys_user, sys_user_group): exact lookups for
// ticket fields (the platform stores an unknown reference silently, so we must check it exists) and
// searches for the pickers of the ticket form. Exact lookups are cached briefly per connection: bulk
// creation asks for the same group for every ticket.
import { q, cellValue, type ServiceNowClient, type ServiceNowRecord } from "@/lib/servicenow";
import { type TDirectoryGroup, type TDirectoryUser } from "@/lib/schemas/connections";

const SYS_ID = /^[0-9a-f]{32}$/;
const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 5000;

type Entry = { value: unknown; at: number };
const globalForDirectory = globalThis as typeof globalThis & { __posturedeskSnDirectory?: Map<string, Entry> };
const cache = (globalForDirectory.__posturedeskSnDirectory ??= new Map());

async function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value as T;
  const value = await load();
  // A miss is not remembered: someone may be creating that group in ServiceNow right now.
  if (value === null) return value;
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(key, { value, at: Date.now() });
  return value;
}

/** Drops a connection's cached lookups (its configuration changed). */
export function forgetDirectory(connectionId: string): void {
  for (const key of cache.keys()) if (key.startsWith(`${connectionId}:`)) cache.delete(key);
}

const USER_FIELDS = ["sys_id", "name", "user_name", "email"];
const GROUP_FIELDS = ["sys_id", "name"];

const toUser = (r: ServiceNowRecord): TDirectoryUser => ({ sysId: cellValue(r.sys_id), name: cellValue(r.name), userName: cellValue(r.user_name), email: cellValue(r.email) });
const toGroup = (r: ServiceNowRecord): TDirectoryGroup => ({ sysId: cellValue(r.sys_id), name: cellValue(r.name) });

/** A user by sys_id, user name or e-mail (active users only); null when none matches. */
export function findUser(client: ServiceNowClient, connectionId: string, ref: string): Promise<TDirectoryUser | null> {
  const value = ref.trim();
  return cached(`${connectionId}:user:${value.toLowerCase()}`, async () => {
    const query = SYS_ID.test(value) ? q().eq("sys_id", value) : q().eq("user_name", value).or().eq("email", value);
    const page = await client.list("sys_user", { query: query.eq("active", true), fields: USER_FIELDS, limit: 2, noCount: true });
    return page.records[0] ? toUser(page.records[0]) : null;
  });
}

/** An assignment group by sys_id or exact name; null when none matches. */
export function findGroup(client: ServiceNowClient, connectionId: string, ref: string): Promise<TDirectoryGroup | null> {
  const value = ref.trim();
  return cached(`${connectionId}:group:${value.toLowerCase()}`, async () => {
    const query = SYS_ID.test(value) ? q().eq("sys_id", value) : q().eq("name", value);
    const page = await client.list("sys_user_group", { query, fields: GROUP_FIELDS, limit: 2, noCount: true });
    return page.records[0] ? toGroup(page.records[0]) : null;
  });
}

/** Active users whose name, user name or e-mail contains `text`. */
export async function searchUsers(client: ServiceNowClient, text: string, limit: number): Promise<TDirectoryUser[]> {
  const query = text ? q().like("name", text).or().like("user_name", text).or().like("email", text).eq("active", true) : q().eq("active", true);
  const page = await client.list("sys_user", { query: query.orderBy("name"), fields: USER_FIELDS, limit, noCount: true });
  return page.records.map(toUser);
}

/** Assignment groups whose name contains `text`. */
export async function searchGroups(client: ServiceNowClient, text: string, limit: number): Promise<TDirectoryGroup[]> {
  const query = text ? q().like("name", text).eq("active", true) : q().eq("active", true);
  const page = await client.list("sys_user_group", { query: query.orderBy("name"), fields: GROUP_FIELDS, limit, noCount: true });
  return page.records.map(toGroup);
}
