// What a directory picker stores for the user or group a person picked, and how a stored reference is
// recognised again. The product keeps references readable where people see them (rule summaries,
// connection defaults): a user's user name (unique on sys_user), a group's name — or the sys_id when
// another group carries the same name, so the server never has to guess. The server resolves any of
// sys_id, user name, e-mail or an unambiguous display name (lib/connections/directory.ts).

export type DirectoryKind = "users" | "groups";
export type DirectoryItem = { sysId: string; name: string; userName?: string; email?: string };

const same = (a: string | undefined, b: string) => Boolean(a) && a!.toLowerCase() === b.trim().toLowerCase();

/** The reference stored when `item` is picked among `shown` (the items listed with it). */
export function directoryRef(kind: DirectoryKind, item: DirectoryItem, shown: readonly DirectoryItem[] = []): string {
  if (kind === "users") return item.userName || item.email || item.sysId;
  const isNameShared = shown.some((other) => other.sysId !== item.sysId && same(other.name, item.name));
  return isNameShared ? item.sysId : item.name;
}

/** Whether a stored reference designates this item (sys_id, user name, e-mail or name; case-insensitive). */
export function isRefOf(kind: DirectoryKind, item: DirectoryItem, ref: string): boolean {
  if (!ref.trim()) return false;
  if (same(item.sysId, ref)) return true;
  return kind === "users" ? same(item.userName, ref) || same(item.email, ref) || same(item.name, ref) : same(item.name, ref);
}

/** Secondary text of a listed user (e-mail, else user name); nothing for groups. */
export function directoryDetail(kind: DirectoryKind, item: DirectoryItem): string {
  if (kind === "groups") return "";
  return item.email || item.userName || "";
}

/** What the list says when nothing matches the text. */
export function noMatchMessage(kind: DirectoryKind, text: string): string {
  const what = kind === "users" ? "user" : "group";
  return text.trim() ? `No ${what} matches “${text.trim()}”` : `No ${what}s in ServiceNow`;
}
