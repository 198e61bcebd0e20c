// Test fixtures of the list tests (findings paging and due dates, the compliance summary cache): a tenant,
// recommendations and ServiceNow connections inserted straight into a test database. Test-only.
import { type Pool } from "pg";

/** An Azure tenant named `name`; `digit` (one hex digit) makes its directory and client ids distinct. */
export async function insertTenant(pool: Pool, name: string, digit: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "AzureTenant" ("name", "tenantId", "clientId", "clientSecretEnc", "authorityHost", "armEndpoint", "updatedAt")
     VALUES ($1, '00000000-0000-4000-8000-0000000000a' || $2, '00000000-0000-4000-8000-0000000000b' || $2, 'x', 'https://login.microsoftonline.com', 'https://management.azure.com', now())
     RETURNING "id"`,
    [name, digit],
  );
  return rows[0]!.id;
}

/** High-severity recommendations with these keys and display names. */
export async function insertRecommendations(pool: Pool, recommendations: Array<{ key: string; name: string }>): Promise<void> {
  await pool.query(
    `INSERT INTO "Recommendation" ("key", "displayName", "severity", "categories", "threats", "description", "remediation", "updatedAt")
     SELECT r.key, r.name, 'High', ARRAY['Compute'], ARRAY[]::text[], 'd', 'r', now() FROM unnest($1::text[], $2::text[]) AS r(key, name)`,
    [recommendations.map((r) => r.key), recommendations.map((r) => r.name)],
  );
}

/** `count` ServiceNow connections (basic auth, never called), in order. */
export async function insertConnections(pool: Pool, count: number): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "ServiceNowConnection" ("name", "instanceUrl", "authType", "username", "passwordEnc", "severityMapping", "updatedAt")
     SELECT 'SN ' || i, 'https://sn' || i || '.service-now.com', 'basic', 'u', 'x', '{}', now() FROM generate_series(1, $1::int) i ORDER BY i
     RETURNING "id"`,
    [count],
  );
  return rows.map((r) => r.id);
}
