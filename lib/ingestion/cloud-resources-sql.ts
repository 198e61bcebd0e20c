import "server-only";

// Writes what identifies AWS and GCP resources (lib/ingestion/normalize.ts, NormalizedCloud) in one
// statement per page: only pages with multicloud findings reach it, and only changed rows are rewritten.
import type { PoolClient } from "pg";
import type { NormalizedAssessment } from "./normalize";

export async function upsertCloudResources(
  db: Pick<PoolClient, "query">,
  azureTenantId: string,
  rows: NormalizedAssessment[],
): Promise<number> {
  const byId = new Map<string, NonNullable<NormalizedAssessment["cloud"]>>();
  for (const r of rows) if (r.cloud) byId.set(r.resourceId.toLowerCase(), r.cloud);
  if (byId.size === 0) return 0;
  const ids = [...byId.keys()];
  const clouds = [...byId.values()];
  const result = await db.query(
    `INSERT INTO "CloudResource" AS t ("azureTenantId", "resourceId", "source", "nativeResourceId", "accountId", "region", "connectorId", "updatedAt")
     SELECT $1::uuid, c.id, c.source, c.native, c.account, c.region, c.connector, now()
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS c(id, source, native, account, region, connector)
     ON CONFLICT ("azureTenantId", "resourceId") DO UPDATE SET
       "source" = EXCLUDED."source", "nativeResourceId" = EXCLUDED."nativeResourceId", "accountId" = EXCLUDED."accountId",
       "region" = EXCLUDED."region", "connectorId" = EXCLUDED."connectorId", "updatedAt" = now()
     WHERE (t."source", t."nativeResourceId", t."accountId", t."region", t."connectorId")
       IS DISTINCT FROM (EXCLUDED."source", EXCLUDED."nativeResourceId", EXCLUDED."accountId", EXCLUDED."region", EXCLUDED."connectorId")`,
    [
      azureTenantId,
      ids,
      clouds.map((c) => c.source),
      clouds.map((c) => c.nativeResourceId),
      clouds.map((c) => c.accountId),
      clouds.map((c) => c.region),
      clouds.map((c) => c.connectorId),
    ],
  );
  return result.rowCount ?? 0;
}
