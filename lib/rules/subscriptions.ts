import "server-only";

// A rule's subscription condition names subscriptions PostureDesk has ingested: a mistyped or foreign
// GUID would make the rule silently match nothing, so it is refused when the rule is saved, naming it.
// Ids the rule already held stay accepted (a subscription may leave a tenant after the rule was written).
import { db } from "@/lib/db";
import { AppError } from "@/lib/http/errors";

export async function assertKnownSubscriptions(ids: readonly string[], alreadyHeld: readonly string[] = []): Promise<void> {
  const held = new Set(alreadyHeld.map((id) => id.toLowerCase()));
  const wanted = [...new Set(ids.map((id) => id.toLowerCase()))].filter((id) => !held.has(id));
  if (wanted.length === 0) return;
  const known = await db().subscription.findMany({
    where: { subscriptionId: { in: wanted, mode: "insensitive" } },
    select: { subscriptionId: true },
  });
  const knownIds = new Set(known.map((s) => s.subscriptionId.toLowerCase()));
  const unknown = wanted.filter((id) => !knownIds.has(id));
  if (unknown.length === 0) return;
  const message = `Unknown subscription${unknown.length === 1 ? "" : "s"} ${unknown.map((id) => `"${id}"`).join(", ")}: not among the subscriptions ingested from Defender for Cloud`;
  throw new AppError("VALIDATION", { message, details: { errors: [{ path: "body.conditions.subscriptionIds", message }] } });
}
