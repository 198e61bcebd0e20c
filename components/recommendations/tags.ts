// Which resource tags the resources table shows up front (client-safe, pure): the owner and the
// environment — what analysts triage by and what governance rules usually match — then the rest by name.

const PRIMARY = ["owner", "env", "environment"];

export type TagEntry = { key: string; value: string };

/** `primary`: owner / env tags (any casing), in that order; `others`: the rest, sorted by name. */
export function splitTags(tags: Record<string, string>): { primary: TagEntry[]; others: TagEntry[] } {
  const entries = Object.entries(tags).map(([key, value]) => ({ key, value }));
  const rank = (key: string) => PRIMARY.indexOf(key.toLowerCase());
  const primary = entries.filter((e) => rank(e.key) >= 0).sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
  const others = entries
    .filter((e) => rank(e.key) < 0)
    .sort((a, b) => a.key.localeCompare(b.key, undefined, { sensitivity: "base" }) || a.key.localeCompare(b.key));
  return { primary, others };
}

/** "key: value", or the key alone for an empty value (tags may be bare labels). */
export function tagLabel(tag: TagEntry): string {
  return tag.value === "" ? tag.key : `${tag.key}: ${tag.value}`;
}
