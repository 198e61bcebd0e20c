// A rule's subscription condition is written by name: "Contoso Production", its id, or the suggestion
// "Contoso Production (0000…)". Resolved here against the subscriptions PostureDesk ingested, so a typo
// is refused at the chip; the server checks the ids again when the rule is saved (lib/rules/subscriptions.ts).

export type KnownSubscription = { subscriptionId: string; displayName: string };
export type SubscriptionResolution = { value: string } | { error: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WITH_ID = /^(.*)\(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\)\s*$/i;

/** The suggestion text of a subscription (also accepted as typed). */
export const subscriptionLabel = (s: KnownSubscription): string => `${s.displayName} (${s.subscriptionId})`;

export function resolveSubscription(typed: string, known: readonly KnownSubscription[]): SubscriptionResolution {
  const text = typed.trim();
  const id = GUID.test(text) ? text : WITH_ID.exec(text)?.[2];
  if (id) {
    const found = known.find((s) => s.subscriptionId.toLowerCase() === id.toLowerCase());
    return found ? { value: found.subscriptionId.toLowerCase() } : { error: `No ingested subscription has the id ${id}` };
  }
  const named = known.filter((s) => s.displayName.trim().toLowerCase() === text.toLowerCase());
  const ids = [...new Set(named.map((s) => s.subscriptionId.toLowerCase()))];
  if (ids.length === 1) return { value: ids[0]! };
  if (ids.length > 1) return { error: `${ids.length} subscriptions are named “${text}”: pick one from the list or type its id` };
  return { error: `No ingested subscription is named “${text}”` };
}
