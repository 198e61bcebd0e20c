import "server-only";
import { createHash } from "node:crypto";
import { pool } from "@/lib/db";
import { Params } from "@/lib/recommendations/list-sql";
import { AppError } from "@/lib/http/errors";
import { type TCursor } from "./cursor";
import { type TFindingSort, type TFindingsQuery, type TFindingDto } from "@/lib/schemas/findings";
import { CC_OF_FINDING_SQL, type CcJson, ccFilterSql, ccOf } from "@/lib/compliance-cc/finding-cc-sql";
import { DETAIL_COLUMNS, type DetailRow, type GovernanceRow, type TicketRequestRow, type TicketRow, toFindingDto } from "./dto";

// The SQL of list.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

/**
 * A finding's due date (its earliest open current ticket's, else its governance assignment's),
 * materialised in "FindingDue" by triggers on TicketLink, Ticket and GovernanceAssignment (migration
 * finding_due), joined as `fd` when the filters or the sort read it (needsDue): the overdue filter, sorted
 * by due date, walks the ("dueAt", "findingId") index instead of two correlated subqueries per finding and
 * a sort of every match (docs/PERFORMANCE.md, "List APIs").
 */
export const DUE = `fd."dueAt"`;

/** Never NULL (a finding without a due date is not past it), so `NOT` of it keeps those findings. */
export const IS_PAST_DUE = `(fd."dueAt" IS NOT NULL AND fd."dueAt" < now())`;

export const needsDue = (query: TFindingsQuery, forSort: boolean) =>
  query.overdue !== undefined || (forSort && (query.sort === "due" || query.sort === "-due"));

/**
 * The distinct resource groups of all findings, one probe of the resourceGroup index each (a loose index
 * scan: a few dozen to a few thousand probes instead of reading every finding). Resource group names are
 * case-insensitive in Azure, so the filter compares lower-cased names among these few values and then
 * reads the matching findings through the same index (`lower(resourceGroup) = …` over the findings
 * themselves read all 100,000 rows; docs/PERFORMANCE.md, "List APIs").
 */
export const RESOURCE_GROUPS_SQL = `WITH RECURSIVE g(v) AS (
    (SELECT "resourceGroup" FROM "Finding" WHERE "resourceGroup" IS NOT NULL ORDER BY 1 LIMIT 1)
    UNION ALL
    SELECT (SELECT n."resourceGroup" FROM "Finding" n WHERE n."resourceGroup" > g.v ORDER BY 1 LIMIT 1) FROM g WHERE g.v IS NOT NULL
  ) SELECT g.v FROM g`;

export const HAS_TICKET = `EXISTS (SELECT 1 FROM "TicketLink" l WHERE l."findingId" = f."id" AND l."activeConnectionId" IS NOT NULL)`;

/** Whether the filters or the sort read the recommendation (category, sort by its name). */
export const needsRecommendation = (query: TFindingsQuery, forSort: boolean) =>
  query.category.length > 0 || (forSort && query.sort.endsWith("recommendation"));

/**
 * The findings query with its resource groups resolved (resourceGroupsNamed): the names as stored that
 * match the requested ones case-insensitively. null when the query has no resource-group filter.
 */
export type FindingsFilter = TFindingsQuery & { resourceGroupNames: string[] | null };

/**
 * The stored resource group names equal to `requested` ignoring case, from the distinct names (a loose
 * scan of the resource-group index). Resolved before the list statements so that one group is compared
 * with `=` and its page walks the (resourceGroup, severity, status, resourceName, id) index like the
 * unfiltered list walks its own (docs/PERFORMANCE.md, "List APIs").
 */
export async function resourceGroupsNamed(requested: string[]): Promise<string[]> {
  const { rows } = await pool().query<{ v: string }>(`${RESOURCE_GROUPS_SQL} WHERE lower(g.v) = ANY($1::text[])`, [
    requested.map((g) => g.toLowerCase()),
  ]);
  return rows.map((r) => r.v);
}

/** FROM and the WHERE conditions of the filters. */
export function fromWhere(query: FindingsFilter, params: Params, forSort: boolean): { from: string; where: string[] } {
  const where: string[] = [];
  // The live tenants once (an init plan), not a join per finding.
  if (!query.includeRemoved)
    where.push(`f."removedAt" IS NULL`, `f."azureTenantId" = ANY(ARRAY(SELECT a."id" FROM "AzureTenant" a WHERE a."deletedAt" IS NULL))`);
  // One value as `=`: with `= ANY(array)` the planner cannot know an index's order holds across the
  // array's values, and sorts what the filter matched instead of walking the index in order (the
  // subscription, recommendation and resource-type indexes below; docs/PERFORMANCE.md, "List APIs").
  const oneOf = (column: string, values: readonly string[], type: string) =>
    values.length === 1 ? `${column} = ${params.add(values[0])}::${type}` : `${column} = ANY(${params.add(values)}::${type}[])`;
  const lower = (values: readonly string[]) => values.map((v) => v.toLowerCase());
  if (query.recommendationKey.length) where.push(oneOf(`f."recommendationKey"`, lower(query.recommendationKey), "text"));
  if (query.severity.length) where.push(oneOf(`f."severity"`, query.severity, `"Severity"`));
  if (query.status.length) where.push(oneOf(`f."status"`, query.status, `"FindingStatus"`));
  if (query.subscriptionId.length) where.push(oneOf(`f."subscriptionId"`, query.subscriptionId, "text"));
  if (query.resourceType.length) where.push(oneOf(`f."resourceType"`, lower(query.resourceType), "text"));
  // The names as stored (resourceGroupsNamed); listFindings answers an empty page itself when none match.
  if (query.resourceGroupNames) where.push(oneOf(`f."resourceGroup"`, query.resourceGroupNames, "text"));
  if (query.category.length) where.push(`r."categories" && ${params.add(query.category)}::text[]`);
  if (query.q) {
    // Resource name through its trigram index; the recommendation's name among a few hundred rows (its
    // keys, then the recommendation index); the full resource ID only when the text has a
    // "/" (an ID or a part of one: no index, every finding is read).
    const like = params.add(`%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const ors = [
      `f."resourceName" ILIKE ${like}`,
      `f."recommendationKey" = ANY(ARRAY(SELECT rq."key" FROM "Recommendation" rq WHERE rq."displayName" ILIKE ${like}))`,
    ];
    if (query.q.includes("/")) ors.push(`f."resourceId" ILIKE ${like}`);
    where.push(`(${ors.join(" OR ")})`);
  }
  // The finding ids come first, once, from the GIN index on SubAssessment.cves (an init plan), then the
  // findings by primary key. As `f.id IN (subquery)` the planner drove it from a scan of every finding with
  // one sub-assessment lookup each (0.45 s at 20,000 findings; bench/sub-assessments.ts).
  if (query.cve)
    where.push(
      `f."id" = ANY(ARRAY(SELECT DISTINCT s."findingId" FROM "SubAssessment" s WHERE s."cves" @> ARRAY[${params.add(query.cve)}]::text[]))`,
    );
  if (query.hasTicket === true) where.push(HAS_TICKET);
  if (query.hasTicket === false) where.push(`NOT ${HAS_TICKET}`);
  if (query.overdue === true) where.push(`f."status" = 'Unhealthy' AND ${IS_PAST_DUE}`);
  if (query.overdue === false) where.push(`NOT (f."status" = 'Unhealthy' AND ${IS_PAST_DUE})`);
  if (query.cc) where.push(ccFilterSql(query.cc));
  const from = `FROM "Finding" f${needsRecommendation(query, forSort) ? ` JOIN "Recommendation" r ON r."key" = f."recommendationKey"` : ""}${
    needsDue(query, forSort) ? ` LEFT JOIN "FindingDue" fd ON fd."findingId" = f."id"` : ""
  }`;
  return { from, where };
}

/**
 * One sort key: an SQL expression, its direction, whether it can be NULL (then NULLS LAST) and the
 * type its cursor value is cast back to.
 */
export type Key = { sql: string; desc?: boolean; nullable?: boolean; cast: string };

export const NAME: Key = { sql: `f."resourceName"`, cast: "text" };

export const SEVERITIES = ["High", "Medium", "Low"] as const;

export const STATUS_ORDER = ["Unhealthy", "Healthy", "NotApplicable"] as const;

/**
 * Sorts led by severity and status walk the (severity, status, resourceName, id) index one
 * (severity, status) partition at a time, in the sort's order, each partition by resource name: a page
 * reads about one page of index entries instead of sorting every finding (a CASE rank cannot use an index).
 */
export type PartitionSort = { partitions: Array<{ severity: string; status: string }> };

export type KeySort = { keys: Key[] };

export const bySeverity = (severities: readonly string[], statuses: readonly string[]): PartitionSort => ({
  partitions: severities.flatMap((severity) => statuses.map((status) => ({ severity, status }))),
});

export const byStatus = (statuses: readonly string[], severities: readonly string[]): PartitionSort => ({
  partitions: statuses.flatMap((status) => severities.map((severity) => ({ severity, status }))),
});

export const reversed = <T>(a: readonly T[]) => [...a].reverse();

export const SORTS: Record<TFindingSort, PartitionSort | KeySort> = {
  "-severity": bySeverity(SEVERITIES, STATUS_ORDER),
  severity: bySeverity(reversed(SEVERITIES), STATUS_ORDER),
  status: byStatus(STATUS_ORDER, SEVERITIES),
  "-status": byStatus(reversed(STATUS_ORDER), SEVERITIES),
  resource: { keys: [NAME] },
  "-resource": { keys: [{ ...NAME, desc: true }] },
  "-changed": { keys: [{ sql: `f."statusChangedAt"`, desc: true, nullable: true, cast: "timestamptz" }] },
  changed: { keys: [{ sql: `f."statusChangedAt"`, nullable: true, cast: "timestamptz" }] },
  firstSeen: { keys: [{ sql: `COALESCE(f."firstEvaluationAt", f."firstSeenAt")`, cast: "timestamptz" }] },
  "-firstSeen": { keys: [{ sql: `COALESCE(f."firstEvaluationAt", f."firstSeenAt")`, desc: true, cast: "timestamptz" }] },
  due: { keys: [{ sql: DUE, nullable: true, cast: "timestamptz" }] },
  "-due": { keys: [{ sql: DUE, desc: true, nullable: true, cast: "timestamptz" }] },
  recommendation: { keys: [{ sql: `r."displayName"`, cast: "text" }, NAME] },
  "-recommendation": { keys: [{ sql: `r."displayName"`, desc: true, cast: "text" }, NAME] },
};

export const SEVERITY: Key = { sql: `f."severity"`, cast: `"Severity"` };

export const STATUS_RANK: Key = { sql: `(CASE f."status" WHEN 'Unhealthy' THEN 0 WHEN 'Healthy' THEN 1 ELSE 2 END)`, cast: "int" };

/**
 * The same four orders as plain sort keys (severity compares in its enum order: High, Medium, Low), for
 * filters that already narrow the findings through another index (search, resource group, type,
 * subscription, recommendation, CVE, overdue, CC): reading those few thousand rows and sorting them beats
 * walking nine partitions of the whole table for the matching ones.
 */
export const NARROWED: Partial<Record<TFindingSort, KeySort>> = {
  "-severity": { keys: [SEVERITY, STATUS_RANK, NAME] },
  severity: { keys: [{ ...SEVERITY, desc: true }, STATUS_RANK, NAME] },
  status: { keys: [STATUS_RANK, SEVERITY, NAME] },
  "-status": { keys: [{ ...STATUS_RANK, desc: true }, SEVERITY, NAME] },
};

/**
 * One resource group, one subscription or one recommendation (not two of them) keeps the partition
 * walk: their indexes lead with that column and go on with the partition keys — (resourceGroup, severity,
 * status, resourceName, id), (subscriptionId, status, severity, resourceName, id), (recommendationKey,
 * status, resourceName, id, severity) — so each (severity, status) partition of the group, subscription or
 * recommendation is read in name order from its own index: nine short index-only scans instead of reading
 * and sorting all of its findings (a subscription of a million-finding estate: 35,000). Decided from the
 * query alone, so every page of one walk has the same cursor form.
 */
const walksOwnIndex = (q: TFindingsQuery) => {
  const led = [q.resourceGroup, q.subscriptionId, q.recommendationKey].filter((values) => values.length > 0);
  return led.length === 1 && led[0]!.length === 1;
};

export const isNarrowed = (q: TFindingsQuery) =>
  Boolean(
    q.q ||
    q.cve ||
    q.cc ||
    q.overdue !== undefined ||
    q.resourceType.length ||
    ((q.resourceGroup.length || q.subscriptionId.length || q.recommendationKey.length) && !walksOwnIndex(q)),
  );

/** The rows after the cursor's row in the order of `keys` then id (ascending, or descending after a descending first key). */
export function afterSql(keys: Key[], values: TCursor["k"], id: string, params: Params): string {
  const idDesc = keys[0]?.desc === true;
  const idParam = params.add(id);
  // One direction and no NULLs: a row comparison, which a btree index can seek to.
  if (keys.every((k) => !k.nullable && k.desc === keys[0]!.desc)) {
    const vals = keys.map((k, i) => `${params.add(values[i])}::${k.cast}`);
    return `(${[...keys.map((k) => k.sql), `f."id"`].join(", ")}) ${idDesc ? "<" : ">"} (${[...vals, `${idParam}::uuid`].join(", ")})`;
  }
  // Otherwise lexicographic: k1 after v1, or k1 = v1 and k2 after v2, …, or all equal and id after.
  const ors: string[] = [];
  const equal: string[] = [];
  keys.forEach((k, i) => {
    const v = values[i] ?? null;
    if (v === null) {
      // NULLs come last: nothing of this key is after a NULL; equal means NULL too.
      equal.push(`${k.sql} IS NULL`);
      return;
    }
    const p = `${params.add(v)}::${k.cast}`;
    const after = `${k.sql} ${k.desc ? "<" : ">"} ${p}${k.nullable ? ` OR ${k.sql} IS NULL` : ""}`;
    ors.push(`(${[...equal, `(${after})`].join(" AND ")})`);
    equal.push(`${k.sql} = ${p}`);
  });
  ors.push(`(${[...equal, `f."id" ${idDesc ? "<" : ">"} ${idParam}::uuid`].join(" AND ")})`);
  return `(${ors.join(" OR ")})`;
}

export const orderSql = (keys: Key[]) =>
  [
    ...keys.map((k) => `${k.sql} ${k.desc ? "DESC" : "ASC"}${k.nullable ? " NULLS LAST" : ""}`),
    `f."id" ${keys[0]?.desc ? "DESC" : "ASC"}`,
  ].join(", ");

export const keyValue = (v: unknown): string | number | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : typeof v === "number" ? v : String(v);

export type PageRow = { id: string; p?: number; [k: `k${number}`]: unknown };

/**
 * The ids of one page (plus one row to know whether there is a next page) and the cursor values of
 * its rows: by keyset after `cursor` when given, else by OFFSET from the page number.
 */
export async function pageIds(
  query: FindingsFilter,
  cursor: TCursor | null,
  page: number,
): Promise<{ rows: PageRow[]; keysOf: (row: PageRow) => TCursor["k"] }> {
  const sort = (isNarrowed(query) ? NARROWED[query.sort] : undefined) ?? SORTS[query.sort];
  const params = new Params();
  const { from, where } = fromWhere(query, params, true);
  const take = query.pageSize + 1;
  const offset = cursor ? 0 : (page - 1) * query.pageSize;
  if ("keys" in sort) {
    // Overdue findings all have a due date: as a non-null key the next page is a row comparison the
    // ("dueAt", "findingId") index seeks to.
    const keys = query.overdue === true ? sort.keys.map((k) => (k.sql === DUE ? { ...k, nullable: false } : k)) : sort.keys;
    const conds = [...where];
    if (cursor) conds.push(afterSql(keys, cursor.k, cursor.id, params));
    const sql = `SELECT f."id", ${keys.map((k, i) => `${k.sql} AS k${i}`).join(", ")} ${from} ${conds.length ? `WHERE ${conds.join(" AND ")}` : ""}
      ORDER BY ${orderSql(keys)} LIMIT ${params.add(take)} OFFSET ${params.add(offset)}`;
    const { rows } = await pool().query<PageRow>(sql, params.values);
    return { rows, keysOf: (row) => keys.map((_, i) => keyValue(row[`k${i}`])) };
  }
  // Partitions the filters leave possible, from the cursor's on.
  let partitions = sort.partitions
    .map((part, i) => ({ ...part, i }))
    .filter(
      (part) =>
        (!query.severity.length || query.severity.includes(part.severity as never)) &&
        (!query.status.length || query.status.includes(part.status as never)),
    );
  const keysOf = (row: PageRow) => [keyValue(row.k0), keyValue(row.k1), keyValue(row.k2)];
  if (!cursor && offset > 0) return { rows: await pageByNumber(partitions, query, offset, take), keysOf };
  const at = cursor ? sort.partitions.findIndex((part) => part.severity === cursor.k[0] && part.status === cursor.k[1]) : -1;
  if (cursor && at < 0)
    throw new AppError("BAD_REQUEST", {
      message: "Invalid cursor: not a cursor returned by this API; start again from the first page (drop the cursor parameter)",
    });
  if (cursor) partitions = partitions.filter((part) => part.i >= at);
  if (partitions.length === 0) return { rows: [], keysOf: () => [] };
  // The first partition alone: it usually fills the page (one short index range, one small statement to
  // plan). Only when it runs out do the others follow, merged in a second statement.
  const rows = await partitionRows(partitions.slice(0, 1), query, cursor, at, take);
  if (rows.length < take && partitions.length > 1)
    rows.push(...(await partitionRows(partitions.slice(1), query, cursor, at, take - rows.length)));
  return { rows, keysOf };
}

type Partition = { severity: string; status: string; i: number };

/** One (severity, status) partition's rows in their order (name, id) under `where`, with their cursor keys. */
const partitionSql = (part: Partition, from: string, where: string[]) =>
  `SELECT f."id", ${part.i} AS p, f."resourceName" AS k2, f."severity"::text AS k0, f."status"::text AS k1 ${from}
    WHERE ${[...where, `f."severity" = '${part.severity}'`, `f."status" = '${part.status}'`].join(" AND ")} ORDER BY f."resourceName", f."id"`;

/** The first `limit` rows of the given partitions in their order, those of partition `at` after `after`'s row. */
async function partitionRows(
  partitions: Partition[],
  query: FindingsFilter,
  after: TCursor | null,
  at: number,
  limit: number,
): Promise<PageRow[]> {
  const params = new Params();
  const { from, where } = fromWhere(query, params, true);
  const perPartition = params.add(limit);
  const children = partitions.map((part) => {
    const conds = after && part.i === at ? [...where, afterSql([NAME], [after.k[2] ?? null], after.id, params)] : where;
    return `(${partitionSql(part, from, conds)} LIMIT ${perPartition})`;
  });
  if (children.length === 1) return (await pool().query<PageRow>(children[0]!, params.values)).rows;
  // Partitions merged: planning the union of up to nine index scans took longer than running it (one
  // recommendation at 100,000 findings: about 3.5 of the statement's 5.4 ms), so it is prepared, named by
  // its text: each connection plans each form once and then keeps PostgreSQL's generic plan. Every value
  // is a parameter, so the forms are few — which filters are present and which partitions are left.
  const text = `SELECT * FROM (${children.join(" UNION ALL ")}) x ORDER BY x.p, x.k2, x."id" LIMIT ${perPartition}`;
  const name = `findings-partitions-${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
  return (await pool().query<PageRow>({ name, text, values: params.values })).rows;
}

/**
 * A page by number in a partitioned sort: the partitions are taken in the sort's order, and the page
 * starts `left` rows into the first one that has more than `left` rows — read by skipping that many
 * index entries, in the same statement as the page's first rows; a partition too short for it is
 * counted and skipped whole. Usually the first partition holds the page: page 20 of 100 skips 1,900
 * index entries and reads the next 101, one statement, instead of merging the first 2,001 rows of every
 * partition and skipping 1,900 (docs/PERFORMANCE.md, "List APIs"). Fewer rows than the offset: none.
 */
async function pageByNumber(partitions: Partition[], query: FindingsFilter, offset: number, take: number): Promise<PageRow[]> {
  let left = offset;
  for (const [n, part] of partitions.entries()) {
    const params = new Params();
    const { from, where } = fromWhere(query, params, true);
    const inOrder = partitionSql(part, from, where);
    const filterValues = [...params.values];
    const { rows } = await pool().query<PageRow>(`${inOrder} OFFSET ${params.add(left)} LIMIT ${params.add(take)}`, params.values);
    if (rows.length > 0) {
      // The page runs on into the next partitions when this one ends inside it.
      if (rows.length < take && n + 1 < partitions.length)
        rows.push(...(await partitionRows(partitions.slice(n + 1), query, null, -1, take - rows.length)));
      return rows;
    }
    // At most `left` rows here: all of them come before the page.
    const counted = await pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM (${inOrder}) x`, filterValues);
    left -= counted.rows[0]!.n;
  }
  return [];
}

const matchingSql = (query: FindingsFilter, params: Params) => {
  const { from, where } = fromWhere(query, params, false);
  return `SELECT 1 ${from} ${where.length ? `WHERE ${where.join(" AND ")}` : ""}`;
};

/**
 * The overdue findings for counting, from their due dates: each past due date (the ("dueAt", "findingId")
 * index) looks its finding up by key with the other filters, and a bounded count stops after limit + 1
 * of them. Joined the usual way, the planner hashed every past due date against the unhealthy findings'
 * index (26 ms at a million findings, 10 at 100,000; docs/PERFORMANCE.md, "List APIs"); the LIMIT 1 keeps
 * the lookup a per-row probe (a subquery with a LIMIT is not merged into a join).
 */
const overdueSql = (query: FindingsFilter, params: Params) => {
  const { from, where } = fromWhere({ ...query, overdue: undefined }, params, false);
  const conds = [`f."id" = fd."findingId"`, `f."status" = 'Unhealthy'`, ...where];
  return `SELECT 1 FROM "FindingDue" fd CROSS JOIN LATERAL (SELECT 1 ${from} WHERE ${conds.join(" AND ")} LIMIT 1) m WHERE fd."dueAt" < now()`;
};

/** How many findings match: exact up to `limit`, else `limit` with isLowerBound (reading at most limit + 1 rows). */
export async function countMatching(query: FindingsFilter, limit: number | null): Promise<{ n: number; isLowerBound: boolean }> {
  const params = new Params();
  const body = query.overdue === true ? overdueSql(query, params) : matchingSql(query, params);
  if (limit === null) {
    const { rows } = await pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM (${body}) c`, params.values);
    return { n: rows[0]?.n ?? 0, isLowerBound: false };
  }
  // A search is planned for all of its matches (a materialised CTE is planned on its own, and read only
  // as far as the LIMIT): under the LIMIT itself the planner trusted its guess for `ILIKE '%…%'` (3 % of
  // the findings; 0.1 % matched) and scanned the table for the first 1,001 matches, 155–300 ms at a million
  // findings instead of the trigram index's few ms (docs/PERFORMANCE.md, "List APIs").
  const sql = query.q
    ? `WITH m AS MATERIALIZED (${body}) SELECT count(*)::int AS n FROM (SELECT 1 FROM m LIMIT ${params.add(limit + 1)}) c`
    : `SELECT count(*)::int AS n FROM (${body} LIMIT ${params.add(limit + 1)}) c`;
  const { rows } = await pool().query<{ n: number }>(sql, params.values);
  const n = rows[0]?.n ?? 0;
  return n > limit ? { n: limit, isLowerBound: true } : { n, isLowerBound: false };
}

/** A timestamptz read back from JSON (json_build_object writes ISO 8601 with the offset). */
const dateOf = (v: string | null): Date | null => (v === null ? null : new Date(v));

type DetailJsonRow = DetailRow & {
  ticketsJson: Array<Omit<TicketRow, "dueDate"> & { dueDate: string | null }> | null;
  governanceJson: (Omit<GovernanceRow, "remediationDueDate"> & { remediationDueDate: string | null }) | null;
  requestJson: (Omit<TicketRequestRow, "nextAttemptAt"> & { nextAttemptAt: string | null }) | null;
  ccJson: CcJson | null;
};

/** The DTO's finding columns, named (not f.*): a prepared statement must keep its result type across migrations. */
const DETAIL_SELECT = DETAIL_COLUMNS.map((c) => `f."${c}"`).join(", ");

/**
 * The detail statement: the findings with their tickets (best first: ITSM, open, newest; aggregated for
 * all the ids at once, not one subquery per finding), governance assignment (managed first, newest),
 * latest unfinished or recently failed ticket request and Configuration Compliance result.
 */
const DETAILS_SQL = `
  SELECT ${DETAIL_SELECT}, r."displayName" AS "recommendationName", s."displayName" AS "subscriptionName", tk."tickets" AS "ticketsJson",
         (SELECT json_build_object('findingId', g."findingId", 'owner', g."owner", 'remediationDueDate', g."remediationDueDate", 'isManaged', g."isManaged")
          FROM "GovernanceAssignment" g WHERE g."findingId" = f."id" ORDER BY g."isManaged" DESC, g."updatedAt" DESC LIMIT 1) AS "governanceJson",
         -- A failure is shown for a week.
         (SELECT json_build_object('findingId', f."id", 'id', q."id", 'status', q."status", 'table', q."table", 'attempts', q."attempts",
              'nextAttemptAt', q."nextAttemptAt", 'error', q."error")
          FROM "TicketRequest" q
          WHERE q."findingIds" @> ARRAY[f."id"] AND (q."status" = 'pending' OR (q."status" = 'failed' AND q."finishedAt" > now() - interval '7 days'))
          ORDER BY q."createdAt" DESC LIMIT 1) AS "requestJson",
         ${CC_OF_FINDING_SQL} AS "ccJson"
  FROM "Finding" f
  JOIN "Recommendation" r ON r."key" = f."recommendationKey"
  LEFT JOIN "Subscription" s ON s."azureTenantId" = f."azureTenantId" AND s."subscriptionId" = f."subscriptionId"
  LEFT JOIN (
    SELECT l."findingId",
           json_agg(json_build_object('id', t."id", 'number', t."number", 'url', t."url", 'table', t."table", 'state', t."state",
               'rawState', t."rawState", 'assignedToName', t."assignedToName", 'assignedToEmail', t."assignedToEmail",
               'assignmentGroupName', t."assignmentGroupName", 'dueDate', t."dueDate", 'isDrift', t."isDrift", 'connectionName', c."name")
             ORDER BY (l."module" = 'itsm') DESC, (t."state" = 'open') DESC, l."linkedAt" DESC) AS "tickets"
    FROM "TicketLink" l JOIN "Ticket" t ON t."id" = l."ticketId" JOIN "ServiceNowConnection" c ON c."id" = l."connectionId"
    WHERE l."findingId" = ANY($1::uuid[]) AND l."activeConnectionId" IS NOT NULL
    GROUP BY l."findingId"
  ) tk ON tk."findingId" = f."id"
  WHERE f."id" = ANY($1::uuid[])`;

/**
 * Full DTOs of the given findings, in the given order, in one statement (five statements on five
 * connections before: each paid its planning, a round trip and a connection). The statement is prepared
 * (named): after PostgreSQL's first five custom plans it keeps a generic plan per connection, which saves
 * the ~1 ms of planning every findings request paid (docs/PERFORMANCE.md, "List APIs", runs M–W).
 */
export async function findingDetails(ids: string[]): Promise<TFindingDto[]> {
  if (ids.length === 0) return [];
  const { rows } = await pool().query<DetailJsonRow>({ name: "findings-details", text: DETAILS_SQL, values: [ids] });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const now = Date.now();
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    const { ticketsJson, governanceJson, requestJson, ccJson, ...finding } = row;
    const tickets = (ticketsJson ?? []).map((t) => ({ ...t, dueDate: dateOf(t.dueDate) }));
    const governance = governanceJson && { ...governanceJson, remediationDueDate: dateOf(governanceJson.remediationDueDate) };
    const request = requestJson && { ...requestJson, nextAttemptAt: dateOf(requestJson.nextAttemptAt) };
    return [toFindingDto(finding, tickets, governance, now, request, ccOf(ccJson))];
  });
}
