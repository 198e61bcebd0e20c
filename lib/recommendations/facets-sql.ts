import "server-only";
import { pool } from "@/lib/db";
import { type TRecommendationFacets } from "@/lib/schemas/recommendations";
import { ALL } from "./summary-sql";

// The SQL of facets.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

/** "microsoft.compute/virtualmachines" → "virtualMachines (Microsoft.Compute)"-like label: the last type segment, readable. */
export function resourceTypeLabel(type: string): string {
  const parts = type.split("/");
  if (parts.length < 2) return type;
  const last = parts.at(-1)!;
  const provider = parts[0]!.replace(/^microsoft\./, "");
  return `${last} (${provider}${parts.length > 2 ? `/${parts.slice(1, -1).join("/")}` : ""})`;
}

export async function load(): Promise<TRecommendationFacets> {
  const [subscriptions, types, categories, groups] = await Promise.all([
    pool().query<{ subscriptionId: string; displayName: string }>(
      `SELECT DISTINCT ON (s."subscriptionId") s."subscriptionId", s."displayName"
       FROM "Subscription" s JOIN "AzureTenant" t ON t."id" = s."azureTenantId" AND t."deletedAt" IS NULL
       WHERE EXISTS (SELECT 1 FROM "RecommendationSummary" r WHERE r."subscriptionId" = s."subscriptionId")
       ORDER BY s."subscriptionId", s."updatedAt" DESC`,
    ),
    pool().query<{ resourceType: string }>(
      `SELECT DISTINCT "resourceType" FROM "RecommendationSummary" WHERE "resourceType" <> '${ALL}' ORDER BY 1`,
    ),
    pool().query<{ category: string }>(
      `SELECT DISTINCT unnest(r."categories") AS category FROM "Recommendation" r WHERE EXISTS (SELECT 1 FROM "RecommendationSummary" s WHERE s."recommendationKey" = r."key") ORDER BY 1`,
    ),
    pool().query<{ resourceGroup: string }>(
      `SELECT DISTINCT "resourceGroup" FROM "Finding" WHERE "removedAt" IS NULL AND "resourceGroup" IS NOT NULL ORDER BY 1 LIMIT 2000`,
    ),
  ]);
  return {
    subscriptions: subscriptions.rows
      .map((s) => ({ value: s.subscriptionId, label: s.displayName }))
      .sort((a, b) => a.label.localeCompare(b.label)),
    resourceTypes: types.rows
      .map((t) => ({ value: t.resourceType, label: resourceTypeLabel(t.resourceType) }))
      .sort((a, b) => a.label.localeCompare(b.label)),
    categories: categories.rows.map((c) => ({ value: c.category, label: c.category })),
    resourceGroups: groups.rows.map((g) => ({ value: g.resourceGroup, label: g.resourceGroup })),
  };
}
