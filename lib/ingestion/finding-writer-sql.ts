import "server-only";
import type pg from "pg";
import { type NormalizedAssessment } from "./normalize";
import { ensureTagStage, TAG_STAGE } from "./tag-writer";

// The SQL of finding-writer.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

export type PageResult = {
  written: number;
  inserted: number;
  statusChanged: number;
  reappeared: number;
  /** New findings per recommendation key (for per-recommendation events on a first ingestion). */
  newByKey: Record<string, number>;
  /** Recommendation keys whose findings changed (to refresh their summaries). */
  changedKeys: string[];
};

export const COLUMNS = [
  ["armId", "text"],
  ["subscriptionId", "text"],
  ["resourceGroup", "text"],
  ["resourceId", "text"],
  ["resourceType", "text"],
  ["resourceName", "text"],
  ["resourceSource", "text"],
  ["recommendationKey", "text"],
  ["status", '"FindingStatus"'],
  ["statusCause", "text"],
  ["statusDescription", "text"],
  ["firstEvaluationAt", "timestamptz"],
  ["statusChangedAt", "timestamptz"],
  ["portalUrl", "text"],
] as const;

/** Compared to decide whether a row changed (and is rewritten). */
export const COMPARED = [
  "azureTenantId",
  "subscriptionId",
  "resourceGroup",
  "resourceId",
  "resourceType",
  "resourceName",
  "resourceSource",
  "recommendationKey",
  "severity",
  "status",
  "statusCause",
  "statusDescription",
  "firstEvaluationAt",
  "statusChangedAt",
  "portalUrl",
];

export const q = (name: string) => `"${name}"`;

export const FIXED = 4;

// $1 run, $2 tenant, $3 now, $4 per-finding events
export const NAMES = COLUMNS.map(([name]) => q(name)).join(", ");

export const UNNEST = `SELECT * FROM unnest(${COLUMNS.map(([, type], i) => `$${FIXED + 1 + i}::${type}[]`).join(", ")}) AS s(${NAMES})`;

/** The staged rows, each id once: a listing restarted after a failure staged its pages again (last wins). */
export const STAGED = `SELECT DISTINCT ON ("armId") ${NAMES} FROM pg_temp.ingest_stage ORDER BY "armId", "seq" DESC`;

/** The upsert (with its events) of the rows `source` yields. */
export const upsertSql = (source: string) => `
WITH s AS (${source}),
prev AS (
  SELECT f.* FROM "Finding" f JOIN s ON f."armId" = s."armId"
),
-- Only new or changed rows reach the upsert: ON CONFLICT locks every conflicting row even when its WHERE
-- then skips it, which for 100,000 unchanged findings is 100,000 row locks (and their WAL) per pass.
changed AS (
  SELECT s.*, r."severity", COALESCE(rt."tags", '{}'::jsonb) AS "tags" FROM s
  JOIN "Recommendation" r ON r."key" = s."recommendationKey"
  LEFT JOIN prev p ON p."armId" = s."armId"
  LEFT JOIN ${TAG_STAGE} rt ON rt."rid" = lower(s."resourceId")
  WHERE p."id" IS NULL OR p."removedAt" IS NOT NULL
     OR (${COMPARED.map((c) => `p.${q(c)}`).join(", ")}) IS DISTINCT FROM ($2::uuid, ${COMPARED.slice(1)
       .map((c) => (c === "severity" ? `r."severity"` : `s.${q(c)}`))
       .join(", ")})
),
up AS (
  INSERT INTO "Finding" AS t ("armId", "azureTenantId", "subscriptionId", "resourceGroup", "resourceId", "resourceType", "resourceName", "resourceSource",
    "recommendationKey", "severity", "status", "statusCause", "statusDescription", "firstEvaluationAt", "statusChangedAt", "portalUrl", "tags", "firstSeenAt", "lastSeenAt", "updatedAt")
  SELECT c."armId", $2::uuid, c."subscriptionId", c."resourceGroup", c."resourceId", c."resourceType", c."resourceName", c."resourceSource",
    c."recommendationKey", c."severity", c."status", c."statusCause", c."statusDescription", c."firstEvaluationAt", c."statusChangedAt", c."portalUrl", c."tags", $3, $3, $3
  FROM changed c
  ON CONFLICT ("armId") DO UPDATE SET
    ${COMPARED.map((c) => `${q(c)} = EXCLUDED.${q(c)}`).join(", ")},
    "removedAt" = NULL, "lastSeenAt" = EXCLUDED."lastSeenAt", "updatedAt" = EXCLUDED."updatedAt"
  WHERE t."removedAt" IS NOT NULL
     OR (${COMPARED.map((c) => `t.${q(c)}`).join(", ")}) IS DISTINCT FROM (${COMPARED.map((c) => `EXCLUDED.${q(c)}`).join(", ")})
  RETURNING t."id", t."armId", t."status", t."recommendationKey"
),
joined AS (
  SELECT u.*, p."id" AS "prevId", p."status" AS "prevStatus", p."removedAt" AS "prevRemovedAt" FROM up u LEFT JOIN prev p ON p."armId" = u."armId"
),
ev AS (
  INSERT INTO "SyncEvent" ("runId", "action", "entityType", "entityId", "findingId", "before", "after", "message")
  SELECT $1::uuid,
    (CASE WHEN j."prevId" IS NULL THEN 'new_finding' ELSE 'status_changed' END)::"SyncAction",
    'finding', j."armId", j."id",
    CASE WHEN j."prevId" IS NULL THEN NULL ELSE jsonb_build_object('status', j."prevStatus", 'isRemoved', j."prevRemovedAt" IS NOT NULL) END,
    jsonb_build_object('status', j."status", 'recommendationKey', j."recommendationKey"),
    CASE WHEN j."prevId" IS NULL THEN 'New finding (' || j."status" || ')'
         WHEN j."prevRemovedAt" IS NOT NULL THEN 'Reported again after it had disappeared (' || j."status" || ')'
         ELSE j."prevStatus" || ' → ' || j."status" END
  FROM joined j
  WHERE (j."prevId" IS NULL AND $4::bool) OR (j."prevId" IS NOT NULL AND (j."prevStatus" <> j."status" OR j."prevRemovedAt" IS NOT NULL))
  RETURNING 1
)
SELECT
  (SELECT count(*) FROM joined)::int AS written,
  (SELECT count(*) FROM joined WHERE "prevId" IS NULL)::int AS inserted,
  (SELECT count(*) FROM joined WHERE "prevId" IS NOT NULL AND "prevStatus" <> "status")::int AS "statusChanged",
  (SELECT count(*) FROM joined WHERE "prevRemovedAt" IS NOT NULL)::int AS reappeared,
  (SELECT COALESCE(jsonb_object_agg(k, n), '{}'::jsonb) FROM (SELECT "recommendationKey" AS k, count(*) AS n FROM joined WHERE "prevId" IS NULL GROUP BY 1) x) AS "newByKey",
  (SELECT COALESCE(array_agg(DISTINCT "recommendationKey"), '{}') FROM joined WHERE "prevId" IS NULL OR "prevStatus" <> "status" OR "prevRemovedAt" IS NOT NULL) AS "changedKeys",
  (SELECT count(*) FROM ev)::int AS events`;

export const PAGE_SQL = upsertSql(UNNEST);

export const MERGE_SQL = upsertSql(STAGED);

export type FindingWriter = {
  /** direct: writes the page now; staged: keeps it for `merge()` (and returns nothing written yet). */
  writePage(rows: NormalizedAssessment[], options: { eventsPerFinding: boolean }): Promise<PageResult>;
  /** Staged mode: writes what the pages staged, in one statement. */
  merge(): Promise<PageResult>;
  /** Staged mode: marks findings of `subscriptionIds` not staged in this pass as removed. */
  markRemoved(subscriptionIds: string[]): Promise<{ removed: number; keys: string[] }>;
};

export const EMPTY: PageResult = { written: 0, inserted: 0, statusChanged: 0, reappeared: 0, newByKey: {}, changedKeys: [] };

export const VALUES: Record<(typeof COLUMNS)[number][0], (r: NormalizedAssessment) => unknown> = {
  armId: (r) => r.armId,
  subscriptionId: (r) => r.subscriptionId,
  resourceGroup: (r) => r.resourceGroup,
  resourceId: (r) => r.resourceId,
  resourceType: (r) => r.resourceType,
  resourceName: (r) => r.resourceName,
  resourceSource: (r) => r.resourceSource,
  recommendationKey: (r) => r.key,
  status: (r) => r.status,
  statusCause: (r) => r.cause,
  statusDescription: (r) => r.description,
  firstEvaluationAt: (r) => r.firstEvaluationAt?.toISOString() ?? null,
  statusChangedAt: (r) => r.statusChangedAt?.toISOString() ?? null,
  portalUrl: (r) => r.portalUrl,
};

export async function createFindingWriter(
  client: pg.PoolClient,
  run: { runId: string; azureTenantId: string; now: Date; mode: "direct" | "staged" },
): Promise<FindingWriter> {
  const fixed = (eventsPerFinding: boolean) => [run.runId, run.azureTenantId, run.now.toISOString(), eventsPerFinding];
  const toResult = (row: PageResult): PageResult => ({
    written: row.written,
    inserted: row.inserted,
    statusChanged: row.statusChanged,
    reappeared: row.reappeared,
    newByKey: row.newByKey,
    changedKeys: row.changedKeys,
  });
  await ensureTagStage(client);
  if (run.mode === "staged") {
    await client.query(
      `CREATE TEMP TABLE IF NOT EXISTS ingest_stage ("seq" bigserial, ${COLUMNS.map(([name, type]) => `${q(name)} ${type}`).join(", ")})`,
    );
    await client.query(`TRUNCATE pg_temp.ingest_stage`);
  }
  return {
    async writePage(rows, options) {
      if (rows.length === 0) return EMPTY;
      if (run.mode === "staged") {
        const params = COLUMNS.map(([name]) => rows.map(VALUES[name]));
        await client.query(
          `INSERT INTO pg_temp.ingest_stage (${NAMES}) SELECT * FROM unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ")})`,
          params,
        );
        return EMPTY;
      }
      // One statement may not touch a row twice: the last occurrence of an id wins.
      const unique = [...new Map(rows.map((r) => [r.armId, r])).values()];
      const params = [...fixed(options.eventsPerFinding), ...COLUMNS.map(([name]) => unique.map(VALUES[name]))];
      return toResult((await client.query<PageResult>(PAGE_SQL, params)).rows[0]!);
    },

    async merge() {
      if (run.mode !== "staged") return EMPTY;
      // Temp tables are never auto-analyzed: without statistics the planner would guess a handful of rows.
      await client.query(`ANALYZE pg_temp.ingest_stage`);
      await client.query(`SET work_mem = '64MB'`);
      try {
        return toResult((await client.query<PageResult>(MERGE_SQL, fixed(true))).rows[0]!);
      } finally {
        await client.query(`RESET work_mem`);
      }
    },

    async markRemoved(subscriptionIds) {
      if (run.mode !== "staged" || subscriptionIds.length === 0) return { removed: 0, keys: [] };
      const result = await client.query<{ removed: number; keys: string[] }>(
        `WITH gone AS (
           UPDATE "Finding" f SET "removedAt" = $3, "updatedAt" = $3
           WHERE f."azureTenantId" = $2::uuid AND f."subscriptionId" = ANY($4::text[]) AND f."removedAt" IS NULL
             AND NOT EXISTS (SELECT 1 FROM pg_temp.ingest_stage s WHERE s."armId" = f."armId")
           RETURNING f."id", f."armId", f."status", f."recommendationKey"
         ),
         ev AS (
           INSERT INTO "SyncEvent" ("runId", "action", "entityType", "entityId", "findingId", "before", "message")
           SELECT $1::uuid, 'removed', 'finding', g."armId", g."id", jsonb_build_object('status', g."status", 'recommendationKey', g."recommendationKey"),
             'No longer reported by Defender for Cloud (kept as history)'
           FROM gone g
           RETURNING 1
         )
         SELECT (SELECT count(*) FROM gone)::int AS removed, (SELECT COALESCE(array_agg(DISTINCT "recommendationKey"), '{}') FROM gone) AS keys, (SELECT count(*) FROM ev) AS events`,
        [run.runId, run.azureTenantId, run.now.toISOString(), subscriptionIds],
      );
      return { removed: result.rows[0]!.removed, keys: result.rows[0]!.keys };
    },
  };
}
