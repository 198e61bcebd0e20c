import "server-only";

// The API token lookup of every bearer request, as one indexed query through the pool (the ORM's
// per-query work was a measurable part of the cheapest requests; docs/PERFORMANCE.md, list APIs).
// Nothing is cached: a revoked or expired token, or an owner who lost the role, is refused on the
// very next request.
import { pool } from "@/lib/db";
import { type TRole } from "@/lib/auth/roles";

export type ApiTokenRecord = {
  id: string;
  name: string;
  role: TRole;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdBy: { id: string; name: string; role: TRole | null } | null;
};

type Row = Omit<ApiTokenRecord, "createdBy"> & { ownerId: string | null; ownerName: string | null; ownerRole: TRole | null };

export async function apiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | null> {
  const { rows } = await pool().query<Row>(
    `SELECT t."id", t."name", t."role"::text AS "role", t."expiresAt", t."revokedAt", t."lastUsedAt",
       u."id" AS "ownerId", u."name" AS "ownerName", u."role"::text AS "ownerRole"
     FROM "ApiToken" t LEFT JOIN "User" u ON u."id" = t."createdById"
     WHERE t."tokenHash" = $1`,
    [tokenHash],
  );
  const r = rows[0];
  if (!r) return null;
  const { ownerId, ownerName, ownerRole, ...token } = r;
  return { ...token, createdBy: ownerId ? { id: ownerId, name: ownerName ?? "", role: ownerRole } : null };
}

/** Records a use (the caller limits this to once a minute per token). */
export async function touchApiToken(id: string, at: Date): Promise<void> {
  await pool().query(`UPDATE "ApiToken" SET "lastUsedAt" = $2 WHERE "id" = $1`, [id, at]);
}
