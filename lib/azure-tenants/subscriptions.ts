import "server-only";

// Subscriptions of a tenant connection, as discovered from ARM's subscription list (connection test and
// every ingestion). A newly visible subscription is ingested when the admin has not narrowed the choice
// (every known subscription included); otherwise it waits to be picked. One that disappeared keeps its
// choice and its findings, with the state "NotVisible", until the service principal sees it again.
import { type AzureSubscription } from "@/lib/azure/schemas";
import { db } from "@/lib/db";
import { type Subscription } from "@/lib/generated/prisma/client";

export const NOT_VISIBLE = "NotVisible";

export type DiscoveryResult = { subscriptions: Subscription[]; added: string[]; vanished: string[] };

export async function recordSubscriptions(azureTenantId: string, visible: AzureSubscription[]): Promise<DiscoveryResult> {
  return db().$transaction(
    async (tx) => {
      const known = await tx.subscription.findMany({ where: { azureTenantId } });
      const byId = new Map(known.map((s) => [s.subscriptionId, s]));
      const isNarrowed = known.some((s) => !s.included);
      const seen = new Set<string>();
      const added: string[] = [];
      const created: Array<{ azureTenantId: string; subscriptionId: string; displayName: string; state: string; included: boolean }> = [];
      for (const s of visible) {
        const id = s.subscriptionId.toLowerCase();
        if (seen.has(id)) continue;
        seen.add(id);
        const existing = byId.get(id);
        if (!existing) {
          created.push({
            azureTenantId,
            subscriptionId: id,
            displayName: s.displayName || id,
            state: s.state || "Enabled",
            included: !isNarrowed,
          });
          added.push(id);
        } else if (existing.displayName !== s.displayName || existing.state !== s.state) {
          await tx.subscription.update({
            where: { id: existing.id },
            data: { displayName: s.displayName || id, state: s.state || "Enabled" },
          });
        }
      }
      // One statement for the new ones: a first discovery of a 2,500-subscription tenant stays well inside the transaction's time.
      if (created.length > 0) await tx.subscription.createMany({ data: created });
      const vanished = known.filter((s) => !seen.has(s.subscriptionId) && s.state !== NOT_VISIBLE).map((s) => s.subscriptionId);
      if (vanished.length > 0)
        await tx.subscription.updateMany({ where: { azureTenantId, subscriptionId: { in: vanished } }, data: { state: NOT_VISIBLE } });
      const subscriptions = await tx.subscription.findMany({ where: { azureTenantId }, orderBy: { displayName: "asc" } });
      return { subscriptions, added, vanished };
      // Thousands of subscriptions on a busy database take longer than Prisma's default of 5 s.
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
