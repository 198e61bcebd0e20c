import "server-only";

// Configuration tests and their groups: one sn_vulc_test per Defender recommendation (source id = the
// assessment key) in one sn_vulc_policy per Defender category. Created once per connection and remembered
// in CcTest; before creating, the instance is searched by source + source id, so a test created just
// before a crash (POST done, row not written) is adopted instead of duplicated. Creation runs under an
// advisory lock per connection: the sync's export and a remediation task requested from the UI may both
// need the same test at the same time.
import { db, pool } from "@/lib/db";
import { type Prisma } from "@/lib/generated/prisma/client";
import { cellValue, q, type ServiceNowRecord } from "@/lib/servicenow";
import { plainText } from "@/lib/tickets/draft-text";
import { withAdvisoryLock } from "@/lib/tickets/lock";
import { chunks, type CcContext, recordEvents } from "./context";
import { DEFENDER_SOURCE, policyOf, RISK_RATING, type Severity } from "./source";

/** Recommendations with exportable findings (optionally among `findingIds`) that have no test on the connection yet. */
const MISSING_SQL = `
  SELECT DISTINCT f."recommendationKey" AS key
  FROM "Finding" f
  JOIN "AzureTenant" a ON a."id" = f."azureTenantId" AND a."deletedAt" IS NULL
  WHERE f."removedAt" IS NULL AND f."status" IN ('Healthy', 'Unhealthy')
    AND ($2::uuid[] IS NULL OR f."id" = ANY($2::uuid[]))
    AND NOT EXISTS (SELECT 1 FROM "CcTest" t WHERE t."connectionId" = $1::uuid AND t."recommendationKey" = f."recommendationKey")
  ORDER BY 1`;

const LOOKUP_BATCH = 100;

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

type Policy = { sysId: string; name: string };

async function loadPolicies(ctx: CcContext): Promise<Map<string, Policy>> {
  const out = new Map<string, Policy>();
  for await (const r of ctx.client.iterate("sn_vulc_policy", { query: q().eq("source", DEFENDER_SOURCE).orderBy("sys_created_on"), fields: ["sys_id", "name", "source_id"], noCount: true })) {
    const sourceId = cellValue(r.source_id);
    // The oldest wins should two exist (created by hand, or by another tool writing the same source).
    if (sourceId && !out.has(sourceId)) out.set(sourceId, { sysId: cellValue(r.sys_id), name: cellValue(r.name) });
  }
  return out;
}

async function existingTests(ctx: CcContext, keys: string[]): Promise<Map<string, ServiceNowRecord>> {
  const out = new Map<string, ServiceNowRecord>();
  for (const batch of chunks(keys, LOOKUP_BATCH)) {
    const page = await ctx.client.list("sn_vulc_test", {
      query: q().eq("source", DEFENDER_SOURCE).in("source_id", batch).orderBy("sys_created_on"),
      fields: ["sys_id", "source_id", "policy"],
      limit: LOOKUP_BATCH * 2,
      noCount: true,
      excludeReferenceLink: true,
    });
    for (const r of page.records) if (!out.has(cellValue(r.source_id))) out.set(cellValue(r.source_id), r);
  }
  return out;
}

export type CatalogResult = { testsCreated: number; testsAdopted: number; policiesCreated: number };

/** Makes sure every recommendation with exportable findings (among `findingIds`, if given) has its test. */
export async function ensureTests(ctx: CcContext, findingIds: string[] | null = null): Promise<CatalogResult> {
  const result: CatalogResult = { testsCreated: 0, testsAdopted: 0, policiesCreated: 0 };
  const missing = await pool().query<{ key: string }>(MISSING_SQL, [ctx.connection.id, findingIds]);
  if (missing.rows.length === 0) return result;

  return withAdvisoryLock(`cc-catalog:${ctx.connection.id}`, async (tx) => {
    // Another export may have created some while we waited for the lock.
    const known = new Set((await tx.ccTest.findMany({ where: { connectionId: ctx.connection.id }, select: { recommendationKey: true } })).map((t) => t.recommendationKey));
    const keys = missing.rows.map((r) => r.key).filter((k) => !known.has(k));
    if (keys.length === 0) return result;
    const recommendations = await db().recommendation.findMany({ where: { key: { in: keys } }, orderBy: { key: "asc" } });
    const policies = await loadPolicies(ctx);
    const found = await existingTests(ctx, keys);
    const events: Parameters<typeof recordEvents>[1] = [];

    for (const rec of recommendations) {
      ctx.assertAlive?.();
      const group = policyOf(rec.categories);
      let policy = policies.get(group.sourceId);
      if (!policy) {
        const created = await ctx.client.create("sn_vulc_policy", {
          name: group.name,
          description: `Configuration tests from ${DEFENDER_SOURCE} recommendations in the category ${group.category}. Written by PostureDesk.`,
          source: DEFENDER_SOURCE,
          source_id: group.sourceId,
          active: true,
        });
        policy = { sysId: cellValue(created.sys_id), name: group.name };
        policies.set(group.sourceId, policy);
        result.policiesCreated++;
      }
      const existing = found.get(rec.key);
      let testSysId: string;
      if (existing) {
        testSysId = cellValue(existing.sys_id);
        result.testsAdopted++;
      } else {
        const created = await ctx.client.create("sn_vulc_test", {
          name: truncate(rec.displayName, 255),
          description: truncate(plainText(rec.description), 4000),
          remediation: truncate(plainText(rec.remediation), 4000),
          policy: policy.sysId,
          source: DEFENDER_SOURCE,
          source_id: rec.key,
          category: group.category,
          risk_rating: RISK_RATING[rec.severity as Severity],
          active: true,
        });
        testSysId = cellValue(created.sys_id);
        result.testsCreated++;
        events.push({ action: "created", entityType: "cc_test", entityId: testSysId, after: { recommendationKey: rec.key, policy: policy.name }, message: `Configuration test created for "${rec.displayName}" (policy ${policy.name})` });
      }
      // Written row by row inside the lock's transaction: a crash loses at most tests the next export adopts.
      await (tx as Prisma.TransactionClient).ccTest.create({
        data: { connectionId: ctx.connection.id, recommendationKey: rec.key, testSysId, policySysId: policy.sysId, policyName: policy.name },
      });
    }
    await recordEvents(ctx, events);
    return result;
  });
}
