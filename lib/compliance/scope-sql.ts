import "server-only";
import { pool } from "@/lib/db";

// The SQL of scope.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

export type SubscriptionOption = { subscriptionId: string; displayName: string };

/** Included subscriptions of active tenants, by display name (the filter's options). */
export async function listSubscriptions(): Promise<SubscriptionOption[]> {
  const { rows } = await pool().query<SubscriptionOption>(
    `SELECT DISTINCT ON (lower(s."subscriptionId")) lower(s."subscriptionId") AS "subscriptionId", s."displayName"
     FROM "Subscription" s JOIN "AzureTenant" a ON a."id" = s."azureTenantId" AND a."deletedAt" IS NULL
     WHERE s."included"
     ORDER BY lower(s."subscriptionId"), s."updatedAt" DESC`,
  );
  return rows.sort((a, b) => a.displayName.localeCompare(b.displayName) || a.subscriptionId.localeCompare(b.subscriptionId));
}
