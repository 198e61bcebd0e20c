import "server-only";

// GET /api/recommendations/{key}: the recommendation's metadata (description, remediation, threats,
// impact) with its counts across every subscription and a breakdown per subscription and resource type.
// Its affected resources come from GET /api/findings?recommendationKey={key}.

import { assertRole, type Caller } from "@/lib/auth/authorize";
import { db, pool } from "@/lib/db";
import { AppError } from "@/lib/http/errors";
import { recommendationPortalUrl } from "@/lib/ingestion/normalize";
import { type TRecommendationDetail } from "@/lib/schemas/recommendations";
import { type AggregateRow, aggregateSql, Params, toRecommendationRow } from "./list-sql";
import { ALL, refreshDirtySummaries } from "./summary-sql";

export async function getRecommendation(actor: Caller, key: string): Promise<TRecommendationDetail> {
  assertRole(actor, "manager", "Reading recommendations");
  const rec = await db().recommendation.findUnique({ where: { key: key.toLowerCase() } });
  if (!rec) throw new AppError("NOT_FOUND", { message: `No recommendation ${key}` });
  // trigger: ticket, link and governance writes mark the summary dirty ("…_summary_dirty_*", prisma/migrations/…_recommendation_summary).
  await refreshDirtySummaries();

  const params = new Params();
  const [aggregate, subscriptions, resourceTypes] = await Promise.all([
    pool().query<AggregateRow>(aggregateSql({ keys: [rec.key] }, params), params.values),
    pool().query<{ subscriptionId: string; displayName: string | null; unhealthy: number; total: number }>(
      `SELECT s."subscriptionId", (SELECT sub."displayName" FROM "Subscription" sub WHERE sub."subscriptionId" = s."subscriptionId" LIMIT 1) AS "displayName",
         sum(s."unhealthy")::int AS "unhealthy", sum(s."total")::int AS "total"
       FROM "RecommendationSummary" s WHERE s."recommendationKey" = $1 AND s."subscriptionId" <> '${ALL}' GROUP BY 1 ORDER BY 3 DESC, 1`,
      [rec.key],
    ),
    pool().query<{ resourceType: string; unhealthy: number; total: number }>(
      `SELECT "resourceType", sum("unhealthy")::int AS "unhealthy", sum("total")::int AS "total" FROM "RecommendationSummary" WHERE "recommendationKey" = $1 AND "resourceType" <> '${ALL}' GROUP BY 1 ORDER BY 2 DESC, 1`,
      [rec.key],
    ),
  ]);
  const row: AggregateRow = aggregate.rows[0] ?? {
    key: rec.key,
    displayName: rec.displayName,
    severity: rec.severity,
    categories: rec.categories,
    isPreview: rec.isPreview,
    isPlaceholder: rec.isPlaceholder,
    total: 0,
    unhealthy: 0,
    healthy: 0,
    notApplicable: 0,
    ticketOpen: 0,
    ticketResolved: 0,
    covered: 0,
    noTicket: 0,
    drift: 0,
    nearestDueAt: null,
    owner: null,
    status: "NotApplicable",
    coverage: null,
  };
  return {
    ...toRecommendationRow(row),
    description: rec.description,
    remediation: rec.remediation,
    threats: rec.threats,
    userImpact: rec.userImpact,
    implementationEffort: rec.implementationEffort,
    policyDefinitionId: rec.policyDefinitionId,
    assessmentType: rec.assessmentType,
    portalUrl: recommendationPortalUrl(rec.key),
    subscriptions: subscriptions.rows.map((s) => ({
      subscriptionId: s.subscriptionId,
      displayName: s.displayName ?? s.subscriptionId,
      unhealthy: s.unhealthy,
      total: s.total,
    })),
    resourceTypes: resourceTypes.rows,
  };
}
