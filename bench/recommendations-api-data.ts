// Synthetic workspace for bench/recommendations-api.ts, generated set-based (generate_series): a tenant
// with 20 subscriptions, 300 recommendations over 10 resource types, ~8,600 resources each assessed by
// the recommendations of its type (more past 258,000 findings: a resource has 30 recommendations of its
// type, so 1,000,000 findings need 33,334), ~70% unhealthy; 10,000 tickets (70% open) each linked to two
// unhealthy findings, and governance assignments with owners and due dates on 10,000 others.
// Findings are inserted in statements of BATCH rows (each one generate_series range, nothing held in JS).
import type pg from "pg";

export type Seeded = { findings: number; links: number; governance: number; subscriptionIds: string[]; naiveSql: string };

const RECOMMENDATIONS_PER_TYPE = 30;
const BATCH = 100_000;
const TYPES = [
  "virtualmachines",
  "storageaccounts",
  "servers",
  "vaults",
  "managedclusters",
  "sites",
  "networksecuritygroups",
  "registries",
  "databaseaccounts",
  "redis",
];

export async function seedWorkspace(pool: pg.Pool, findings: number, log: (m: string) => void = () => {}): Promise<Seeded> {
  // Each (resource, recommendation) pair once: armId is unique.
  const RESOURCES = Math.max(8_600, Math.ceil(findings / RECOMMENDATIONS_PER_TYPE));
  const tenant = await pool.query<{ id: string }>(
    `INSERT INTO "AzureTenant" ("name", "tenantId", "clientId", "clientSecretEnc", "authorityHost", "armEndpoint", "updatedAt")
     VALUES ('Bench', '00000000-0000-4000-8000-00000000beef', '00000000-0000-4000-8000-00000000c1d0', 'x', 'https://login.microsoftonline.com', 'https://management.azure.com', now()) RETURNING "id"`,
  );
  const t = tenant.rows[0]!.id;
  const subs = await pool.query<{ subscriptionId: string }>(
    `INSERT INTO "Subscription" ("azureTenantId", "subscriptionId", "displayName", "updatedAt")
     SELECT $1, format('00000000-0000-4000-8000-%s', lpad(i::text, 12, '0')), 'Subscription ' || i, now() FROM generate_series(1, 20) i RETURNING "subscriptionId"`,
    [t],
  );
  await pool.query(
    `INSERT INTO "Recommendation" ("key", "displayName", "severity", "categories", "threats", "description", "remediation", "updatedAt")
     SELECT format('00000000-0000-4000-9000-%s', lpad(i::text, 12, '0')), 'Recommendation number ' || i || ' should be remediated',
       (ARRAY['High', 'Medium', 'Low'])[1 + i % 3]::"Severity", ARRAY[(ARRAY['Compute', 'Data', 'Networking', 'IdentityAndAccess', 'Container'])[1 + i % 5]],
       ARRAY['DataExfiltration', 'MaliciousInsider'], 'A synthetic recommendation.', 'Fix it.', now()
     FROM generate_series(0, 299) i`,
  );
  // Finding i: resource r = i mod RESOURCES (type r mod 10, subscription (r / 10) mod 20), recommendation =
  // one of the 30 of that type (shifted per resource, so all 300 are used), spanning all 20 subscriptions.
  const started = performance.now();
  // Past one batch, the secondary indexes are built once at the end (a sorted build) instead of row by row.
  const deferred =
    findings > BATCH
      ? (
          await pool.query<{ name: string; def: string }>(
            `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'Finding'
               AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = '"Finding"'::regclass)`,
          )
        ).rows
      : [];
  for (const index of deferred) await pool.query(`DROP INDEX "${index.name}"`);
  for (let from = 0; from < findings; from += BATCH) {
    await pool.query(
      `INSERT INTO "Finding" ("armId", "azureTenantId", "subscriptionId", "resourceGroup", "resourceId", "resourceType", "resourceName", "recommendationKey", "severity",
         "status", "statusChangedAt", "firstEvaluationAt", "updatedAt")
       SELECT lower(x.rid || '/providers/Microsoft.Security/assessments/' || x.rec), $1, x.sub, x.rg, x.rid, x.type, x.name, x.rec,
         (ARRAY['High', 'Medium', 'Low'])[1 + x.reci % 3]::"Severity",
         (CASE WHEN x.h < 70 THEN 'Unhealthy' WHEN x.h < 95 THEN 'Healthy' ELSE 'NotApplicable' END)::"FindingStatus",
         now() - (x.h || ' days')::interval, now() - ((x.h + 100) || ' days')::interval, now()
       FROM (
         SELECT i, format('00000000-0000-4000-8000-%s', lpad((1 + ((i % ${RESOURCES}) / 10) % 20)::text, 12, '0')) AS sub,
           'rg-app-' || ((i % ${RESOURCES}) % 37) AS rg,
           format('/subscriptions/00000000-0000-4000-8000-%s/resourceGroups/rg-app-%s/providers/Microsoft.Bench/%s/res-%s', lpad((1 + ((i % ${RESOURCES}) / 10) % 20)::text, 12, '0'), (i % ${RESOURCES}) % 37, (ARRAY[${TYPES.map((x) => `'${x}'`).join(",")}])[1 + (i % ${RESOURCES}) % 10], i % ${RESOURCES}) AS rid,
           'microsoft.bench/' || (ARRAY[${TYPES.map((x) => `'${x}'`).join(",")}])[1 + (i % ${RESOURCES}) % 10] AS type,
           'res-' || (i % ${RESOURCES}) AS name,
           10 * ((i / ${RESOURCES} + i % ${RESOURCES}) % 30) + (i % ${RESOURCES}) % 10 AS reci,
           format('00000000-0000-4000-9000-%s', lpad((10 * ((i / ${RESOURCES} + i % ${RESOURCES}) % 30) + (i % ${RESOURCES}) % 10)::text, 12, '0')) AS rec,
           abs(hashtext(i::text)) % 100 AS h
         FROM generate_series($2::int, $3::int - 1) i
       ) x`,
      [t, from, Math.min(findings, from + BATCH)],
    );
    if (findings > BATCH)
      log(
        `findings: ${Math.min(findings, from + BATCH).toLocaleString()} of ${findings.toLocaleString()} in ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
  }
  if (deferred.length > 0) {
    const client = await pool.connect();
    try {
      await client.query(`SET maintenance_work_mem = '256MB'`);
      for (const index of deferred) await client.query(index.def);
    } finally {
      client.release();
    }
    log(`findings: ${deferred.length} indexes built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  const connection = await pool.query<{ id: string }>(
    `INSERT INTO "ServiceNowConnection" ("name", "instanceUrl", "authType", "username", "passwordEnc", "severityMapping", "updatedAt")
     VALUES ('Bench SN', 'https://bench.service-now.com', 'basic', 'u', 'x', '{}', now()) RETURNING "id"`,
  );
  const c = connection.rows[0]!.id;
  await pool.query(
    `INSERT INTO "Ticket" ("connectionId", "table", "sysId", "number", "rawState", "state", "url", "createdByType", "dueDate", "assignedToName", "updatedAt")
     SELECT $1, 'incident', lpad(to_hex(i), 32, '0'), 'INC' || lpad(i::text, 7, '0'),
       CASE WHEN i % 10 < 7 THEN '2' WHEN i % 10 < 9 THEN '6' ELSE '7' END,
       (CASE WHEN i % 10 < 7 THEN 'open' WHEN i % 10 < 9 THEN 'resolved' ELSE 'closed' END)::"TicketState",
       'https://bench.service-now.com/incident.do?sys_id=' || i, 'system', now() + ((i % 120 - 60) || ' days')::interval,
       'Assignee ' || (i % 50), now()
     FROM generate_series(1, 10000) i`,
    [c],
  );
  const links = await pool.query(
    `WITH u AS (SELECT "id", row_number() OVER (ORDER BY "armId") AS n FROM "Finding" WHERE "status" = 'Unhealthy' LIMIT 20000),
          t AS (SELECT "id", row_number() OVER (ORDER BY "number") AS n FROM "Ticket")
     INSERT INTO "TicketLink" ("ticketId", "findingId", "connectionId", "activeConnectionId", "linkedByType")
     SELECT t."id", u."id", $1, $1, 'system' FROM u JOIN t ON t.n = (u.n + 1) / 2`,
    [c],
  );
  const governance = await pool.query(
    `INSERT INTO "GovernanceAssignment" ("findingId", "assignmentKey", "isManaged", "owner", "remediationDueDate", "azureState", "updatedAt")
     SELECT f."id", gen_random_uuid()::text, false, 'owner' || (row_number() OVER () % 40) || '@contoso.example', now() + ((row_number() OVER () % 90 - 30) || ' days')::interval, 'synced', now()
     FROM "Finding" f WHERE f."status" = 'Unhealthy' AND NOT EXISTS (SELECT 1 FROM "TicketLink" l WHERE l."findingId" = f."id") LIMIT 10000`,
  );
  const count = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Finding"`);
  return {
    findings: count.rows[0]!.n,
    links: links.rowCount ?? 0,
    governance: governance.rowCount ?? 0,
    subscriptionIds: subs.rows.map((s) => s.subscriptionId),
    naiveSql: `
      SELECT f."recommendationKey", r."displayName", min(f."severity") AS severity, count(*) AS total,
        count(*) FILTER (WHERE f."status" = 'Unhealthy') AS unhealthy,
        count(*) FILTER (WHERE t."state" = 'open') AS open, count(*) FILTER (WHERE t."state" <> 'open') AS resolved,
        count(*) FILTER (WHERE f."status" = 'Unhealthy' AND t."id" IS NULL) AS none,
        min(COALESCE(t."dueDate", g."remediationDueDate")) FILTER (WHERE f."status" = 'Unhealthy') AS due,
        mode() WITHIN GROUP (ORDER BY COALESCE(t."assignedToName", g."owner")) AS owner
      FROM "Finding" f
      JOIN "Recommendation" r ON r."key" = f."recommendationKey"
      LEFT JOIN "TicketLink" l ON l."findingId" = f."id" AND l."activeConnectionId" IS NOT NULL
      LEFT JOIN "Ticket" t ON t."id" = l."ticketId"
      LEFT JOIN "GovernanceAssignment" g ON g."findingId" = f."id"
      WHERE f."removedAt" IS NULL
      GROUP BY 1, 2 ORDER BY 3, 5 DESC LIMIT 50`,
  };
}

/** The mix of list requests the clients cycle through (what analysts click). */
export function QUERIES(subscriptionIds: string[]): string[] {
  return [
    "",
    "severity=High",
    "severity=High&hasTicket=false",
    "sort=-unhealthy",
    "sort=coverage",
    "hasTicket=true&sort=due",
    "overdue=true",
    `subscriptionId=${subscriptionIds[0]}`,
    `subscriptionId=${subscriptionIds[3]}&severity=Medium`,
    "resourceType=microsoft.bench/virtualmachines",
    "category=Networking&status=Unhealthy",
    "q=number%201",
    "page=2&pageSize=50",
    "sort=name&pageSize=100",
  ];
}
