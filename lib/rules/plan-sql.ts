import "server-only";

// The SQL half of the rule planner: matching runs in PostgreSQL, set-based, so a plan over 100,000
// findings moves a few thousand group rows to the app instead of every finding. The rules travel as
// one jsonb parameter (jsonb_to_recordset); each candidate finding keeps the FIRST rule, by priority,
// whose conditions hold (a LATERAL … ORDER BY priority LIMIT 1). Tags match by jsonb containment
// (`tags @> {"env":"prod"}`) and key presence (`tags ?& {owner}`).
import { pool, withTransaction } from "@/lib/db";
import { MAX_FINDINGS_PER_TICKET, type TRuleConditions, type TRuleGrouping } from "@/lib/schemas/rules";

/** A rule as the matcher sees it (conditions already validated and normalised). */
export type MatchRule = {
  id: string;
  priority: number;
  conditions: TRuleConditions;
  grouping: TRuleGrouping;
  /** Tag holding the owner when the rule takes the owner from a tag. */
  ownerTag: string | null;
};

function rulesParam(rules: MatchRule[]): string {
  return JSON.stringify(
    rules.map((r) => ({
      id: r.id,
      priority: r.priority,
      severities: r.conditions.severities,
      keys: r.conditions.recommendationKeys.map((k) => k.toLowerCase()),
      categories: r.conditions.categories.map((c) => c.toLowerCase()),
      subs: r.conditions.subscriptionIds.map((s) => s.toLowerCase()),
      rgs: r.conditions.resourceGroups.map((g) => g.toLowerCase()),
      tag_contains: Object.fromEntries(r.conditions.tags.filter((t) => t.value !== null).map((t) => [t.key, t.value])),
      tag_keys: r.conditions.tags.filter((t) => t.value === null).map((t) => t.key),
      grouping: r.grouping,
      owner_tag: r.ownerTag,
    })),
  );
}

// MATERIALIZED: evaluated once per query; inlined, the JSON would be parsed again for every finding.
const RULES_CTE = `
  rules AS MATERIALIZED (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
      id uuid, priority int, severities text[], keys text[], categories text[], subs text[], rgs text[],
      tag_contains jsonb, tag_keys text[], grouping text, owner_tag text)
  )`;

/** The conditions of rule `r` on finding `f` (recommendation `rec`). */
const MATCHES = `
      (cardinality(r.severities) = 0 OR f."severity"::text = ANY (r.severities))
  AND (cardinality(r.keys) = 0 OR lower(f."recommendationKey") = ANY (r.keys))
  AND (cardinality(r.categories) = 0 OR EXISTS (SELECT 1 FROM unnest(rec."categories") AS c(name) WHERE lower(c.name) = ANY (r.categories)))
  AND (cardinality(r.subs) = 0 OR lower(f."subscriptionId") = ANY (r.subs))
  AND (cardinality(r.rgs) = 0 OR lower(f."resourceGroup") = ANY (r.rgs))
  AND f."tags" @> r.tag_contains
  AND f."tags" ?& r.tag_keys`;

/** Unhealthy findings still reported by Defender, of a tenant that is not archived. */
const OPEN_FINDING_SOURCES = `
  FROM "Finding" f
  JOIN "Recommendation" rec ON rec."key" = f."recommendationKey"
  JOIN "AzureTenant" t ON t."id" = f."azureTenantId" AND t."deletedAt" IS NULL`;
const OPEN_FINDING_FILTER = `f."status" = 'Unhealthy' AND f."removedAt" IS NULL`;

const HAS_ACTIVE_TICKET = `EXISTS (SELECT 1 FROM "TicketLink" l WHERE l."findingId" = f."id" AND l."activeConnectionId" = $2::uuid AND l."module" = 'itsm')`;

const WORK_MEM = "64MB";

export type GroupRow = {
  ruleId: string;
  groupKey: string;
  part: number;
  parts: number;
  findingIds: string[];
  resources: string[];
  severity: "High" | "Medium" | "Low";
  recommendationKeys: string[];
  subscriptionId: string | null;
  resourceGroup: string | null;
  owner: string | null;
};

/**
 * Tickets-to-be: for each finding without an active ITSM ticket on the connection, its first matching
 * rule; findings grouped per that rule's grouping, in ARM id order, cut into parts of at most
 * MAX_FINDINGS_PER_TICKET. Only groups of `reportRuleIds` come back (all when null).
 */
export async function selectGroups(input: GroupsInput): Promise<GroupRow[]> {
  if (input.rules.length === 0) return [];
  // Sorting 100,000 findings into groups needs more than the default 4 MB of work_mem to stay in memory.
  const { rows } = await withTransaction(async (client) => {
    await client.query("SET TRANSACTION READ ONLY");
    await client.query(`SET LOCAL work_mem = '${WORK_MEM}'`);
    return client.query<GroupRow>(groupsQuery(input));
  });
  return rows;
}

type GroupsInput = { connectionId: string; rules: MatchRule[]; reportRuleIds: string[] | null; findingIds: string[] | null };

/** The statement of selectGroups (exported so its plan can be inspected: EXPLAIN ANALYZE). */
export function groupsQuery(input: GroupsInput): { text: string; values: unknown[] } {
  const text = `
    WITH ${RULES_CTE},
    matched AS (
      SELECT f."id", lower(f."armId") COLLATE "C" AS arm_key, f."recommendationKey", f."subscriptionId", f."resourceGroup",
             f."resourceName", f."severity", m.id AS rule_id,
             CASE m.grouping
               WHEN 'per_finding' THEN 'finding:' || f."id"::text
               WHEN 'per_recommendation' THEN 'recommendation:' || lower(f."recommendationKey")
               ELSE 'resource-group:' || lower(f."subscriptionId") || '/' || coalesce(lower(f."resourceGroup"), '')
             END COLLATE "C" AS group_key,
             CASE WHEN m.owner_tag IS NULL THEN NULL ELSE nullif(btrim(f."tags" ->> m.owner_tag), '') END AS owner
      ${OPEN_FINDING_SOURCES}
      CROSS JOIN LATERAL (SELECT r.id, r.grouping, r.owner_tag FROM rules r WHERE ${MATCHES} ORDER BY r.priority LIMIT 1) m
      WHERE ${OPEN_FINDING_FILTER}
        AND ($3::uuid[] IS NULL OR f."id" = ANY ($3::uuid[]))
        AND NOT ${HAS_ACTIVE_TICKET}
    ),
    numbered AS (
      SELECT *, (row_number() OVER (PARTITION BY rule_id, group_key ORDER BY arm_key, "id") - 1) / ${MAX_FINDINGS_PER_TICKET} AS part
      FROM matched
      WHERE $4::uuid[] IS NULL OR rule_id = ANY ($4::uuid[])
    ),
    grouped AS (
      SELECT rule_id, group_key, part,
             array_agg("id" ORDER BY arm_key, "id") AS finding_ids,
             (array_agg("resourceName" ORDER BY arm_key, "id"))[1:3] AS resources,
             min("severity")::text AS severity,
             array_agg(DISTINCT "recommendationKey") AS recommendation_keys,
             CASE WHEN count(DISTINCT lower("subscriptionId")) = 1 THEN min("subscriptionId") END AS subscription_id,
             CASE WHEN count(DISTINCT lower(coalesce("resourceGroup", ''))) = 1 THEN min("resourceGroup") END AS resource_group,
             mode() WITHIN GROUP (ORDER BY owner) AS owner
      FROM numbered
      GROUP BY rule_id, group_key, part
    )
    SELECT rule_id AS "ruleId", group_key AS "groupKey", part::int AS "part",
           (count(*) OVER (PARTITION BY rule_id, group_key))::int AS "parts",
           finding_ids AS "findingIds", resources AS "resources", severity AS "severity",
           recommendation_keys AS "recommendationKeys", subscription_id AS "subscriptionId",
           resource_group AS "resourceGroup", owner AS "owner"
    FROM grouped`;
  return { text, values: [rulesParam(input.rules), input.connectionId, input.findingIds, input.reportRuleIds] };
}

export type MatchStats = {
  /** Unhealthy findings the rule's conditions match. */
  matched: number;
  alreadyTicketed: number;
  /** Findings without a ticket that another (higher-priority) rule takes first, per rule id. */
  takenBy: Array<{ ruleId: string; findings: number }>;
};

/** What happens to the findings `ruleId` matches: already ticketed, taken by an earlier rule, or its own. */
export async function selectMatchStats(input: { connectionId: string; rules: MatchRule[]; ruleId: string }): Promise<MatchStats> {
  const sql = `
    WITH ${RULES_CTE},
    target AS (SELECT * FROM rules WHERE id = $3::uuid),
    matched AS (
      SELECT ${HAS_ACTIVE_TICKET} AS has_ticket, m.id AS first_rule
      ${OPEN_FINDING_SOURCES}
      CROSS JOIN target r
      CROSS JOIN LATERAL (SELECT r.id FROM rules r WHERE ${MATCHES} ORDER BY r.priority LIMIT 1) m
      WHERE ${OPEN_FINDING_FILTER} AND ${MATCHES}
    )
    SELECT has_ticket AS "hasTicket", first_rule AS "firstRule", count(*)::int AS "n" FROM matched GROUP BY 1, 2`;
  const { rows } = await pool().query<{ hasTicket: boolean; firstRule: string; n: number }>(sql, [
    rulesParam(input.rules),
    input.connectionId,
    input.ruleId,
  ]);
  const takenBy = new Map<string, number>();
  let matched = 0;
  let alreadyTicketed = 0;
  for (const row of rows) {
    matched += row.n;
    if (row.hasTicket) alreadyTicketed += row.n;
    else if (row.firstRule !== input.ruleId) takenBy.set(row.firstRule, (takenBy.get(row.firstRule) ?? 0) + row.n);
  }
  return { matched, alreadyTicketed, takenBy: [...takenBy].map(([ruleId, findings]) => ({ ruleId, findings })) };
}
