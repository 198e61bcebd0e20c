import "server-only";

// The values the workspace filters offer: subscriptions, resource types, categories and resource groups
// that stored findings actually contain. Read when a page renders; cached for 30 s per process because
// the resource group list scans the findings.

import { assertRole, type Caller } from "@/lib/auth/authorize";
import { type TRecommendationFacets } from "@/lib/schemas/recommendations";
import { load } from "./facets-sql";
export { resourceTypeLabel } from "./facets-sql";

const TTL_MS = 30_000;
let cached: { at: number; value: Promise<TRecommendationFacets> } | null = null;

export async function getRecommendationFacets(actor: Caller): Promise<TRecommendationFacets> {
  assertRole(actor, "manager", "Reading recommendations");
  if (!cached || Date.now() - cached.at > TTL_MS) {
    const value = load();
    cached = { at: Date.now(), value };
    value.catch(() => {
      cached = null;
    });
  }
  return cached.value;
}
