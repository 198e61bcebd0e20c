import "server-only";
import { assertRole, type Caller } from "@/lib/auth/authorize";
import { pool } from "@/lib/db";
import { type NormalizedSubAssessment } from "@/lib/ingestion/sub-assessment-normalize";
import {
  type TRecommendationVulnerabilities,
  type TSubAssessmentItem,
  type TSubAssessmentSummary,
  type TVulnerabilityRow,
} from "@/lib/schemas/sub-assessments";

// The SQL of sub-assessments.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

export type Severity = "High" | "Medium" | "Low";

export const SEVERITY_ORDER = `CASE s."severity" WHEN 'High' THEN 0 WHEN 'Medium' THEN 1 ELSE 2 END`;

export const WORST_FIRST = `${SEVERITY_ORDER}, s."cvssScore" DESC NULLS LAST, s."vulnerabilityId"`;

export type ItemRow = {
  armId: string;
  vulnerabilityId: string;
  displayName: string;
  severity: Severity;
  status: TSubAssessmentItem["status"];
  kind: TSubAssessmentItem["kind"];
  cves: string[] | null;
  details: Record<string, unknown> | null;
} & Pick<NormalizedSubAssessment, VulnerabilityFacts>;

/** The columns a stored sub-assessment keeps as ingested (ingestion/sub-assessment-normalize.ts). */
type VulnerabilityFacts =
  "cvssScore" | "cvssVersion" | "patchable" | "publishedAt" | "remediation" | "category" | "description" | "timeGenerated";

/** CVE links as ingested; a CVE without one gets NIST's page. */
export function cveLinksOf(cves: string[] | null, details: Record<string, unknown> | null): { id: string; link: string }[] {
  const links = new Map<string, string>();
  const stored = Array.isArray(details?.cveLinks) ? (details.cveLinks as unknown[]) : [];
  for (const entry of stored) {
    if (
      typeof entry === "object" &&
      entry !== null &&
      typeof (entry as { id?: unknown }).id === "string" &&
      typeof (entry as { link?: unknown }).link === "string"
    ) {
      links.set((entry as { id: string }).id, (entry as { link: string }).link);
    }
  }
  return (cves ?? []).map((id) => ({ id, link: links.get(id) ?? `https://nvd.nist.gov/vuln/detail/${id}` }));
}

export function toItem(r: ItemRow): TSubAssessmentItem {
  const { cveLinks: _links, kind: _kind, ...details } = r.details ?? {};
  return {
    id: r.armId,
    vulnerabilityId: r.vulnerabilityId,
    displayName: r.displayName,
    severity: r.severity,
    status: r.status,
    kind: r.kind,
    cves: cveLinksOf(r.cves, r.details),
    cvss: r.cvssScore === null ? null : { score: r.cvssScore, version: r.cvssVersion },
    patchable: r.patchable,
    publishedAt: r.publishedAt?.toISOString() ?? null,
    remediation: r.remediation,
    category: r.category,
    description: r.description,
    timeGenerated: r.timeGenerated?.toISOString() ?? null,
    details,
  };
}

export const emptyCounts = () => ({ High: 0, Medium: 0, Low: 0 });

/** One finding's sub-assessments: counts by severity and the worst `limit` items (no role check: callers check). */
export async function subAssessmentSummary(findingId: string, options: { limit?: number } = {}): Promise<TSubAssessmentSummary> {
  const limit = Math.min(Math.max(options.limit ?? 100, 0), 1000);
  const [counts, items] = await Promise.all([
    pool().query<{ severity: Severity; n: number }>(
      `SELECT s."severity", count(*)::int AS n FROM "SubAssessment" s WHERE s."findingId" = $1::uuid GROUP BY s."severity"`,
      [findingId],
    ),
    limit === 0
      ? Promise.resolve({ rows: [] as ItemRow[] })
      : pool().query<ItemRow>(`SELECT s.* FROM "SubAssessment" s WHERE s."findingId" = $1::uuid ORDER BY ${WORST_FIRST} LIMIT $2`, [
          findingId,
          limit,
        ]),
  ]);
  const bySeverity = emptyCounts();
  for (const c of counts.rows) bySeverity[c.severity] = c.n;
  return { total: bySeverity.High + bySeverity.Medium + bySeverity.Low, bySeverity, items: items.rows.map(toItem), limit };
}

/** Counts of sub-assessments per finding (lists; findings without any are absent). */
export async function subAssessmentCounts(findingIds: string[]): Promise<Map<string, { total: number; high: number }>> {
  if (findingIds.length === 0) return new Map();
  const result = await pool().query<{ findingId: string; total: number; high: number }>(
    `SELECT s."findingId", count(*)::int AS total, count(*) FILTER (WHERE s."severity" = 'High')::int AS high FROM "SubAssessment" s WHERE s."findingId" = ANY($1::uuid[]) GROUP BY s."findingId"`,
    [findingIds],
  );
  return new Map(result.rows.map((r) => [r.findingId, { total: r.total, high: r.high }]));
}

export type TopCves = {
  total: number;
  cves: { id: string; link: string; severity: Severity; cvssScore: number | null; findings: number }[];
};

/** The worst distinct CVEs across findings (ticket descriptions): `total` distinct CVEs, the first `limit` of them. */
export async function topCvesOf(findingIds: string[], limit = 10): Promise<TopCves> {
  if (findingIds.length === 0) return { total: 0, cves: [] };
  const result = await pool().query<{ id: string; severity: Severity; cvssScore: number | null; findings: number; total: number }>(
    `WITH c AS (
       SELECT cve AS "id", min(${SEVERITY_ORDER}) AS "rank", max(s."cvssScore") AS "cvssScore", count(DISTINCT s."findingId")::int AS "findings"
       FROM "SubAssessment" s CROSS JOIN LATERAL unnest(s."cves") AS cve
       WHERE s."findingId" = ANY($1::uuid[])
       GROUP BY cve
     )
     SELECT c."id", (ARRAY['High','Medium','Low'])[c."rank" + 1] AS "severity", c."cvssScore", c."findings", (SELECT count(*) FROM c)::int AS "total"
     FROM c ORDER BY c."rank", c."cvssScore" DESC NULLS LAST, c."findings" DESC, c."id" LIMIT $2`,
    [findingIds, limit],
  );
  return {
    total: result.rows[0]?.total ?? 0,
    cves: result.rows.map((r) => ({
      id: r.id,
      link: `https://nvd.nist.gov/vuln/detail/${r.id}`,
      severity: r.severity,
      cvssScore: r.cvssScore,
      findings: r.findings,
    })),
  };
}

/** Per finding: how many sub-assessments, and the worst `limit` of them (ticket texts). Findings without any are absent. */
export async function topSubAssessmentsOf(
  findingIds: string[],
  limit: number,
): Promise<
  Map<
    string,
    {
      total: number;
      bySeverity: Record<Severity, number>;
      top: { vulnerabilityId: string; displayName: string; severity: Severity; cvssScore: number | null; cves: string[] }[];
    }
  >
> {
  if (findingIds.length === 0) return new Map();
  const result = await pool().query<{
    findingId: string;
    total: number;
    high: number;
    medium: number;
    low: number;
    top: { vulnerabilityId: string; displayName: string; severity: Severity; cvssScore: number | null; cves: string[] | null }[];
  }>(
    `SELECT f."id" AS "findingId", c."total", c."high", c."medium", c."low", t."top"
     FROM unnest($1::uuid[]) AS f("id")
     CROSS JOIN LATERAL (
       SELECT count(*)::int AS "total", count(*) FILTER (WHERE s."severity" = 'High')::int AS "high",
         count(*) FILTER (WHERE s."severity" = 'Medium')::int AS "medium", count(*) FILTER (WHERE s."severity" = 'Low')::int AS "low"
       FROM "SubAssessment" s WHERE s."findingId" = f."id") c
     CROSS JOIN LATERAL (
       SELECT COALESCE(jsonb_agg(jsonb_build_object('vulnerabilityId', x."vulnerabilityId", 'displayName', x."displayName", 'severity', x."severity", 'cvssScore', x."cvssScore", 'cves', x."cves")), '[]'::jsonb) AS "top"
       FROM (SELECT s.* FROM "SubAssessment" s WHERE s."findingId" = f."id" ORDER BY ${WORST_FIRST} LIMIT $2) x) t
     WHERE c."total" > 0`,
    [findingIds, limit],
  );
  return new Map(
    result.rows.map((r) => [
      r.findingId,
      { total: r.total, bySeverity: { High: r.high, Medium: r.medium, Low: r.low }, top: r.top.map((x) => ({ ...x, cves: x.cves ?? [] })) },
    ]),
  );
}

/** A recommendation's vulnerabilities across its current findings, worst first (manager+). */
export async function recommendationVulnerabilities(
  actor: Caller,
  key: string,
  query: { q?: string; severity?: Severity; limit: number },
): Promise<TRecommendationVulnerabilities> {
  assertRole(actor, "manager", "Reading vulnerabilities");
  const scope = `FROM "SubAssessment" s JOIN "Finding" f ON f."id" = s."findingId"
    WHERE f."recommendationKey" = $1 AND f."removedAt" IS NULL
      AND EXISTS (SELECT 1 FROM "AzureTenant" a WHERE a."id" = f."azureTenantId" AND a."deletedAt" IS NULL)`;
  const params: unknown[] = [key.toLowerCase()];
  const filters: string[] = [];
  if (query.severity) {
    params.push(query.severity);
    filters.push(`s."severity" = $${params.length}::"Severity"`);
  }
  if (query.q) {
    params.push(`%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const p = `$${params.length}`;
    filters.push(`(s."vulnerabilityId" ILIKE ${p} OR s."displayName" ILIKE ${p} OR array_to_string(s."cves", ' ') ILIKE ${p})`);
  }
  const filtered = filters.length ? ` AND ${filters.join(" AND ")}` : "";
  const [counts, rows] = await Promise.all([
    pool().query<{ severity: Severity; n: number; distinct: number }>(
      `SELECT s."severity", count(*)::int AS n, count(DISTINCT s."vulnerabilityId")::int AS "distinct" ${scope} GROUP BY s."severity"`,
      [key.toLowerCase()],
    ),
    pool().query<{
      vulnerabilityId: string;
      displayName: string;
      severity: Severity;
      kind: TVulnerabilityRow["kind"];
      cves: string[] | null;
      details: Record<string, unknown> | null;
      cvssScore: number | null;
      patchable: boolean | null;
      findings: number;
    }>(
      `SELECT DISTINCT ON (${SEVERITY_ORDER}, s."vulnerabilityId") s."vulnerabilityId", s."displayName", s."severity", s."kind", s."cves", s."details", s."cvssScore", s."patchable",
         count(*) OVER (PARTITION BY s."vulnerabilityId", s."severity")::int AS "findings"
       ${scope}${filtered}
       ORDER BY ${SEVERITY_ORDER}, s."vulnerabilityId", s."cvssScore" DESC NULLS LAST`,
      params,
    ),
  ]);
  const bySeverity = emptyCounts();
  let distinct = 0;
  for (const c of counts.rows) {
    bySeverity[c.severity] = c.n;
    distinct += c.distinct;
  }
  const items = rows.rows
    .map((r) => ({
      vulnerabilityId: r.vulnerabilityId,
      displayName: r.displayName,
      severity: r.severity,
      kind: r.kind,
      cves: cveLinksOf(r.cves, r.details),
      cvssScore: r.cvssScore,
      patchable: r.patchable,
      findings: r.findings,
    }))
    .sort(
      (a, b) =>
        rank(a.severity) - rank(b.severity) ||
        (b.cvssScore ?? -1) - (a.cvssScore ?? -1) ||
        b.findings - a.findings ||
        a.vulnerabilityId.localeCompare(b.vulnerabilityId),
    )
    .slice(0, query.limit);
  return { total: bySeverity.High + bySeverity.Medium + bySeverity.Low, bySeverity, distinct, items };
}

export const rank = (s: Severity) => (s === "High" ? 0 : s === "Medium" ? 1 : 2);
