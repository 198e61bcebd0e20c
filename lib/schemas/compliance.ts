import { z } from "zod";

// The compliance view for managers (docs/DESIGN.md §7): query filters and the DTOs of the summary, the
// regulatory drill-down and the CSV export. No server-only imports: the page's client view parses the
// URL with the same schemas as the routes.

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** The default window of the trends: the last 90 days, today included. */
export const DEFAULT_RANGE_DAYS = 90;
/** Longest window a request may ask for (the snapshot table keeps every day). */
export const MAX_RANGE_DAYS = 3 * 366;

const ZDay = z
  .string()
  .trim()
  .regex(DAY, "must be a date (YYYY-MM-DD)")
  .refine(
    (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    "is not a calendar date",
  );

const ZSubscriptionId = z.string().trim().toLowerCase().regex(GUID, "must be an Azure subscription id (GUID)");

/** A regulatory standard or control name as Defender reports it ("PCI-DSS-3.2.1", "A.9.1.2"). */
export const ZComplianceName = z.preprocess(
  // Path segments may arrive still percent-encoded (names never contain a literal "%").
  (v) => (typeof v === "string" && /%[0-9A-Fa-f]{2}/.test(v) ? safeDecode(v) : v),
  z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^\r\n/\\]*$/, "must be a single line without slashes"),
);

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

export function utcToday(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

const rangeShape = {
  subscriptionId: ZSubscriptionId.optional(),
  from: ZDay.optional(),
  to: ZDay.optional(),
};

type RawRange = { from?: string; to?: string };

/** Fills the default window and checks the order and length of the range. */
function withRange<T extends RawRange>(value: T, ctx: z.RefinementCtx): T & { from: string; to: string } {
  const to = value.to ?? utcToday();
  const from = value.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  if (from > to) ctx.addIssue({ code: "custom", path: ["from"], message: "must not be after 'to'" });
  else if ((Date.parse(to) - Date.parse(from)) / DAY_MS + 1 > MAX_RANGE_DAYS)
    ctx.addIssue({ code: "custom", path: ["from"], message: `the range may span at most ${MAX_RANGE_DAYS} days` });
  return { ...value, from, to };
}

export const ZComplianceQuery = z.object(rangeShape).strict().transform(withRange);
export type TComplianceQuery = z.infer<typeof ZComplianceQuery>;

export const ZComplianceStandardParams = z.object({ standard: ZComplianceName });
export const ZComplianceControlParams = z.object({ standard: ZComplianceName, control: ZComplianceName });
export const ZComplianceScopeQuery = z.object({ subscriptionId: ZSubscriptionId.optional() }).strict();

export const COMPLIANCE_REPORTS = ["trend", "controls"] as const;
export const ZComplianceExportQuery = z
  .object({
    ...rangeShape,
    /** trend: one row per day and subscription; controls: one row per standard control and subscription. */
    report: z.enum(COMPLIANCE_REPORTS).default("trend"),
    standard: ZComplianceName.optional(),
  })
  .strict()
  .transform(withRange);
export type TComplianceExportQuery = z.infer<typeof ZComplianceExportQuery>;

const ZCount = z.number().int();
const ZPercent = z.number().nullable().describe("0–100, null when there is nothing to divide by");

export const ZScore = z.object({ current: z.number(), max: z.number(), percent: ZPercent });

export const ZSeverityCounts = z.object({ high: ZCount, medium: ZCount, low: ZCount });

export const ZComplianceDay = z.object({
  day: z.string(),
  scorePercent: ZPercent,
  high: ZCount,
  medium: ZCount,
  low: ZCount,
  coveredUnhealthy: ZCount,
  coveragePercent: ZPercent,
  openTickets: ZCount,
  overdueTickets: ZCount,
  drift: ZCount,
});
export type TComplianceDay = z.infer<typeof ZComplianceDay>;

export const CONTROL_STATES = ["Failed", "Passed", "Skipped", "Unsupported"] as const;
export type TControlState = (typeof CONTROL_STATES)[number];

export const ZStandardSummary = z.object({
  name: z.string(),
  state: z.enum(CONTROL_STATES),
  passed: ZCount,
  failed: ZCount,
  skipped: ZCount,
  unsupported: ZCount,
});
export type TStandardSummary = z.infer<typeof ZStandardSummary>;

export const ZSlaRow = z.object({
  name: z.string(),
  open: ZCount,
  overdue: ZCount,
  resolved: ZCount.describe("resolved or closed within the range"),
  meanHoursToRemediate: z.number().nullable(),
});
export type TSlaRow = z.infer<typeof ZSlaRow>;

export const ZComplianceSummary = z.object({
  range: z.object({ from: z.string(), to: z.string() }),
  subscriptionId: z.string().nullable(),
  subscriptions: z.array(z.object({ subscriptionId: z.string(), displayName: z.string() })),
  secureScore: ZScore.nullable(),
  scoreBySubscription: z.array(ZScore.extend({ subscriptionId: z.string(), displayName: z.string() })),
  findings: ZSeverityCounts.extend({ unhealthy: ZCount, healthy: ZCount, notApplicable: ZCount }),
  coverage: z.object({ unhealthy: ZCount, covered: ZCount, percent: ZPercent }),
  tickets: z.object({ open: ZCount, overdue: ZCount, drift: ZCount }),
  trend: z.array(ZComplianceDay),
  standards: z.array(ZStandardSummary),
  sla: z.object({
    bySeverity: z.array(ZSlaRow),
    byOwner: z.array(ZSlaRow),
    byGroup: z.array(ZSlaRow),
  }),
  generatedAt: z.string(),
});
export type TComplianceSummary = z.infer<typeof ZComplianceSummary>;

export const ZComplianceControl = z.object({
  name: z.string(),
  description: z.string(),
  state: z.enum(CONTROL_STATES),
  passedAssessments: ZCount,
  failedAssessments: ZCount,
  skippedAssessments: ZCount,
  /** Subscriptions in which this control fails. */
  failingSubscriptions: ZCount,
});
export type TComplianceControl = z.infer<typeof ZComplianceControl>;

export const ZComplianceStandardDetail = z.object({
  standard: ZStandardSummary,
  subscriptionId: z.string().nullable(),
  controls: z.array(ZComplianceControl),
});
export type TComplianceStandardDetail = z.infer<typeof ZComplianceStandardDetail>;

export const ZComplianceTicket = z.object({
  id: z.string().uuid(),
  number: z.string(),
  url: z.string(),
  table: z.string(),
  module: z.enum(["itsm", "cc"]),
  state: z.enum(["open", "resolved", "closed", "canceled"]),
  stateLabel: z.string(),
  isDrift: z.boolean(),
  isOverdue: z.boolean(),
  assignedToName: z.string().nullable(),
  /** Unhealthy findings of the assessment this ticket covers. */
  findings: ZCount,
});
export type TComplianceTicket = z.infer<typeof ZComplianceTicket>;

export const ZComplianceAssessment = z.object({
  name: z.string(),
  description: z.string(),
  state: z.enum(CONTROL_STATES),
  passedResources: ZCount,
  failedResources: ZCount,
  skippedResources: ZCount,
  recommendation: z.object({ key: z.string(), displayName: z.string(), severity: z.enum(["High", "Medium", "Low"]) }).nullable(),
  unhealthyFindings: ZCount,
  coveredFindings: ZCount,
  tickets: z.array(ZComplianceTicket),
});
export type TComplianceAssessment = z.infer<typeof ZComplianceAssessment>;

export const ZComplianceControlDetail = z.object({
  standard: z.string(),
  control: ZComplianceControl,
  subscriptionId: z.string().nullable(),
  assessments: z.array(ZComplianceAssessment),
});
export type TComplianceControlDetail = z.infer<typeof ZComplianceControlDetail>;

/** The client view's URL → summary query (invalid values fall back to defaults instead of failing the page). */
export function complianceQueryOf(params: Record<string, string | string[] | undefined>): TComplianceQuery {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const raw = { subscriptionId: first(params.subscriptionId), from: first(params.from), to: first(params.to) };
  const parsed = ZComplianceQuery.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v)));
  if (parsed.success) return parsed.data;
  const fallback = ZComplianceQuery.safeParse(
    raw.subscriptionId && GUID.test(raw.subscriptionId.toLowerCase()) ? { subscriptionId: raw.subscriptionId } : {},
  );
  return fallback.success ? fallback.data : ZComplianceQuery.parse({});
}
