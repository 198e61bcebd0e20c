import "server-only";

// Suggestions for the rule form: live connections, and the recommendations, categories, subscriptions,
// resource groups and tag names present in the data. Each list is capped; the form accepts typed values.

import { assertRole, type Caller } from "@/lib/auth/authorize";
import { db, pool } from "@/lib/db";
import { type TRuleFormOptions } from "@/lib/schemas/rules";

const CAP = 2000;

export async function ruleFormOptions(actor: Caller): Promise<TRuleFormOptions> {
  assertRole(actor, "manager", "Reading automation rules");
  const [connections, recommendations, categories, subscriptions, groups, tagKeys] = await Promise.all([
    db().serviceNowConnection.findMany({
      where: { deletedAt: null },
      orderBy: { name: "asc" },
      select: { id: true, name: true, itsmEnabled: true, defaultAssignmentGroup: true },
    }),
    db().recommendation.findMany({ orderBy: { displayName: "asc" }, take: CAP, select: { key: true, displayName: true, severity: true } }),
    pool().query<{ name: string }>(`SELECT DISTINCT unnest("categories") AS name FROM "Recommendation" ORDER BY 1 LIMIT ${CAP}`),
    db().subscription.findMany({
      orderBy: { displayName: "asc" },
      take: CAP,
      distinct: ["subscriptionId"],
      select: { subscriptionId: true, displayName: true },
    }),
    pool().query<{ name: string }>(
      `SELECT DISTINCT lower("resourceGroup") AS name FROM "Finding" WHERE "resourceGroup" IS NOT NULL AND "removedAt" IS NULL ORDER BY 1 LIMIT ${CAP}`,
    ),
    // Tag names of a sample of findings: enough to suggest, cheap on 100,000 rows.
    pool().query<{ name: string }>(
      `SELECT DISTINCT k AS name FROM (SELECT "tags" FROM "Finding" WHERE "tags" <> '{}'::jsonb LIMIT 20000) f, jsonb_object_keys(f."tags") AS k ORDER BY 1 LIMIT 200`,
    ),
  ]);
  return {
    connections,
    recommendations,
    categories: categories.rows.map((r) => r.name),
    subscriptions,
    resourceGroups: groups.rows.map((r) => r.name),
    tagKeys: tagKeys.rows.map((r) => r.name),
  };
}
