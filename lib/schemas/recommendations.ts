import { z } from "zod";
import { multi, ZBooleanQuery, ZPageQuery } from "@/lib/schemas/common";

// The recommendations workspace: list filters (shared with /api/findings), sorts and DTOs. The same
// filter object travels in the page URL, the API query string and the React Query key.

export const SEVERITIES = ["High", "Medium", "Low"] as const;
export type TSeverity = (typeof SEVERITIES)[number];
export const FINDING_STATUSES = ["Unhealthy", "Healthy", "NotApplicable"] as const;
export type TFindingStatus = (typeof FINDING_STATUSES)[number];
export const FINDING_STATUS_LABEL: Record<TFindingStatus, string> = {
  Unhealthy: "Unhealthy",
  Healthy: "Healthy",
  NotApplicable: "Not applicable",
};

const ZText = z.string().trim().min(1).max(300);
const ZSearch = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((v) => (v ? v : undefined));

/** Filters both lists understand. */
export const filterFields = {
  severity: multi(z.enum(SEVERITIES)),
  /** Recommendation status: Unhealthy = some resource unhealthy; Healthy = none unhealthy; NotApplicable = all not applicable. */
  status: multi(z.enum(FINDING_STATUSES)),
  subscriptionId: multi(ZText.transform((v) => v.toLowerCase())),
  resourceType: multi(ZText),
  category: multi(ZText),
  /** true: some finding has a current ticket; false: none has. */
  hasTicket: ZBooleanQuery,
  /** true: an unhealthy finding's ticket or governance due date has passed. */
  overdue: ZBooleanQuery,
  q: ZSearch,
};

export const RECOMMENDATION_SORTS = [
  "-severity",
  "severity",
  "name",
  "-name",
  "-unhealthy",
  "unhealthy",
  "-total",
  "total",
  "coverage",
  "-coverage",
  "due",
  "-due",
] as const;
export type TRecommendationSort = (typeof RECOMMENDATION_SORTS)[number];

export const ZRecommendationsQuery = ZPageQuery.extend({
  ...filterFields,
  sort: z.enum(RECOMMENDATION_SORTS).default("-severity"),
});
export type TRecommendationsQuery = z.infer<typeof ZRecommendationsQuery>;

export const ZRecommendationKeyParams = z.object({
  key: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._-]+$/, "must be an assessment key (letters, digits, '.', '_' or '-')"),
});

export type TSearchRecord = Record<string, string | string[] | undefined>;

/**
 * Parses URL search parameters leniently: a bad value (a typo in a shared link) is dropped instead of
 * failing the whole page. The server prefetch and the client view call this with the same input, so
 * they compute the same React Query key.
 */
export function parseLenient<S extends z.ZodType<object>>(schema: S, input: TSearchRecord): z.infer<S> {
  const clean: TSearchRecord = {};
  for (const [key, value] of Object.entries(input)) if (value !== undefined && value !== "") clean[key] = value;
  for (let attempt = 0; attempt < 10; attempt++) {
    const result = schema.safeParse(clean);
    if (result.success) return result.data;
    for (const issue of result.error.issues) delete clean[String(issue.path[0])];
  }
  return schema.parse({});
}

export function recommendationsQueryOf(input: TSearchRecord): TRecommendationsQuery {
  return parseLenient(ZRecommendationsQuery, input);
}

export type TTicketCounts = {
  /** Findings whose current ticket is open. */
  open: number;
  /** Findings whose current ticket is resolved, closed or canceled. */
  resolved: number;
  /** Unhealthy findings without a current ticket. */
  none: number;
  /** Findings whose ticket was closed in ServiceNow while they are still unhealthy. */
  drift: number;
};

export type TRecommendationRow = {
  key: string;
  displayName: string;
  severity: TSeverity;
  categories: string[];
  isPreview: boolean;
  /** Created for findings whose assessment metadata never arrived. */
  isPlaceholder: boolean;
  status: TFindingStatus;
  total: number;
  unhealthy: number;
  healthy: number;
  notApplicable: number;
  tickets: TTicketCounts;
  /** Unhealthy findings with an open ticket ÷ unhealthy findings; null when nothing is unhealthy. */
  coverage: number | null;
  owner: string | null;
  nearestDueAt: string | null;
  isOverdue: boolean;
};

export type TRecommendationDetail = TRecommendationRow & {
  description: string;
  remediation: string;
  threats: string[];
  userImpact: string | null;
  implementationEffort: string | null;
  policyDefinitionId: string | null;
  assessmentType: string | null;
  /** The recommendation in the Azure portal. */
  portalUrl: string;
  subscriptions: Array<{ subscriptionId: string; displayName: string; unhealthy: number; total: number }>;
  resourceTypes: Array<{ resourceType: string; unhealthy: number; total: number }>;
};

export type TFacetOption = { value: string; label: string };

/** Values the filters offer (what the stored findings actually contain). */
export type TRecommendationFacets = {
  subscriptions: TFacetOption[];
  resourceTypes: TFacetOption[];
  categories: TFacetOption[];
  resourceGroups: TFacetOption[];
};
