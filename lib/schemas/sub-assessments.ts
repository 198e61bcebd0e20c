import { z } from "zod";

// Vulnerability sub-findings (Defender sub-assessments) of a finding: the CVE filter of GET /api/findings,
// and the `subAssessments` block of GET /api/findings/{id}. Kept apart from findings.ts on purpose (other
// features extend the findings DTO).

export const CVE_ID = /^CVE-\d{4}-\d{4,}$/;

/** `?cve=CVE-2024-3094` (any case; stored upper-cased). */
export const ZCveQuery = z.string().trim().toUpperCase().regex(CVE_ID, "must be a CVE id such as CVE-2024-3094").optional();

export const SUB_ASSESSMENT_KINDS = ["server", "container", "sql", "other"] as const;

export const ZSubAssessmentItem = z.object({
  id: z.string(),
  vulnerabilityId: z.string(),
  displayName: z.string(),
  severity: z.enum(["High", "Medium", "Low"]),
  status: z.enum(["Healthy", "Unhealthy", "NotApplicable"]),
  kind: z.enum(SUB_ASSESSMENT_KINDS),
  cves: z.array(z.object({ id: z.string(), link: z.string() })),
  cvss: z.object({ score: z.number(), version: z.string().nullable() }).nullable(),
  patchable: z.boolean().nullable(),
  publishedAt: z.string().nullable(),
  remediation: z.string().nullable(),
  category: z.string().nullable(),
  description: z.string().nullable(),
  timeGenerated: z.string().nullable(),
  /** Container images: repository and digest; SQL: the check's query; servers: vendor references. */
  details: z.record(z.string(), z.unknown()),
});
export type TSubAssessmentItem = z.infer<typeof ZSubAssessmentItem>;

export const ZSeverityCounts = z.object({ High: z.number().int(), Medium: z.number().int(), Low: z.number().int() });

export const ZSubAssessmentSummary = z.object({
  total: z.number().int(),
  bySeverity: ZSeverityCounts,
  /** Worst first (severity, CVSS); at most `limit` of them — `total` says how many there are. */
  items: z.array(ZSubAssessmentItem),
  limit: z.number().int(),
});
export type TSubAssessmentSummary = z.infer<typeof ZSubAssessmentSummary>;

export const ZFindingDetailQuery = z.object({
  /** How many sub-assessments to return (worst first); default 100. */
  subLimit: z.coerce.number().int().min(0).max(1000).default(100),
});

/** A recommendation's vulnerabilities across its findings: one row per vulnerability id. */
export const ZVulnerabilityRow = z.object({
  vulnerabilityId: z.string(),
  displayName: z.string(),
  severity: z.enum(["High", "Medium", "Low"]),
  kind: z.enum(SUB_ASSESSMENT_KINDS),
  cves: z.array(z.object({ id: z.string(), link: z.string() })),
  cvssScore: z.number().nullable(),
  patchable: z.boolean().nullable(),
  /** Unhealthy findings (resources) that have it. */
  findings: z.number().int(),
});
export type TVulnerabilityRow = z.infer<typeof ZVulnerabilityRow>;

export const ZRecommendationVulnerabilities = z.object({
  /** Sub-assessments of the recommendation's current findings. */
  total: z.number().int(),
  bySeverity: ZSeverityCounts,
  /** Distinct vulnerabilities. */
  distinct: z.number().int(),
  items: z.array(ZVulnerabilityRow),
});
export type TRecommendationVulnerabilities = z.infer<typeof ZRecommendationVulnerabilities>;

export const ZRecommendationVulnerabilitiesQuery = z.object({
  /** Text in the vulnerability id, title or CVE id. */
  q: z.string().trim().max(200).optional(),
  severity: z.enum(["High", "Medium", "Low"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
