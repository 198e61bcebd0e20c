// What PostureDesk relies on in Azure's answers, checked with zod, and the normalized shapes the rest of
// the product uses (dates as ISO strings, nulls instead of absent fields). SDK models arrive flattened
// (`properties.*` lifted onto the object); raw calls (governance, Resource Graph) arrive as ARM JSON.
import "server-only";
import { z } from "zod";

const isoOrDate = z.union([z.date(), z.string()]).transform((v) => (v instanceof Date ? v.toISOString() : new Date(v).toISOString()));

export const ZAssessmentStatusCode = z.enum(["Healthy", "Unhealthy", "NotApplicable"]);

/** An assessment's `status` (SDK model and raw ARM / Resource Graph `properties` alike). */
const ZAssessmentStatus = z
  .object({
    code: ZAssessmentStatusCode,
    cause: z.string().optional(),
    description: z.string().optional(),
    firstEvaluationDate: isoOrDate.optional(),
    statusChangeDate: isoOrDate.optional(),
  })
  .passthrough();

/** SDK `SecurityAssessmentResponse` (flattened). */
export const ZSdkAssessment = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    displayName: z.string().optional(),
    resourceDetails: z.object({ source: z.string(), id: z.string().optional() }).passthrough(),
    status: ZAssessmentStatus,
    additionalData: z.record(z.string(), z.string()).optional(),
    links: z.object({ azurePortalUri: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();

/** Raw ARM / Resource Graph assessment `properties`. */
export const ZRawAssessmentProperties = z
  .object({
    displayName: z.string().optional(),
    resourceDetails: z.object({ id: z.string().optional(), Id: z.string().optional() }).passthrough(),
    status: ZAssessmentStatus,
    additionalData: z.record(z.string(), z.unknown()).optional(),
    links: z.object({ azurePortalUri: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();

export type AzureAssessment = {
  /** Full ARM id of the assessment. */
  id: string;
  /** Recommendation (assessment metadata) key. */
  key: string;
  resourceId: string;
  subscriptionId: string;
  resourceGroup: string | null;
  displayName: string;
  status: z.infer<typeof ZAssessmentStatusCode>;
  cause: string | null;
  description: string | null;
  firstEvaluationDate: string | null;
  statusChangeDate: string | null;
  portalUrl: string | null;
  additionalData: Record<string, unknown> | null;
};

/** A checked assessment (SDK model, or raw ARM / Resource Graph `properties`) as the product stores it. */
export function assessmentOf(
  row: { id: string; name: string; resourceId: string },
  p: {
    displayName?: string;
    status: z.infer<typeof ZAssessmentStatus>;
    links?: { azurePortalUri?: string };
    additionalData?: Record<string, unknown>;
  },
): AzureAssessment {
  return {
    id: row.id,
    key: row.name,
    resourceId: row.resourceId,
    subscriptionId: subscriptionOf(row.resourceId),
    resourceGroup: resourceGroupOf(row.resourceId),
    displayName: p.displayName ?? row.name,
    status: p.status.code,
    cause: p.status.cause || null,
    description: p.status.description || null,
    firstEvaluationDate: p.status.firstEvaluationDate ?? null,
    statusChangeDate: p.status.statusChangeDate ?? null,
    portalUrl: p.links?.azurePortalUri ?? null,
    additionalData: p.additionalData ?? null,
  };
}

export const ZSdkMetadata = z
  .object({
    name: z.string().min(1),
    displayName: z.string().min(1),
    severity: z.enum(["High", "Medium", "Low"]),
    description: z.string().optional(),
    remediationDescription: z.string().optional(),
    categories: z.array(z.string()).optional(),
    threats: z.array(z.string()).optional(),
    userImpact: z.string().optional(),
    implementationEffort: z.string().optional(),
    policyDefinitionId: z.string().optional(),
    assessmentType: z.string(),
    preview: z.boolean().optional(),
  })
  .passthrough();

export type AzureRecommendation = {
  key: string;
  displayName: string;
  severity: "High" | "Medium" | "Low";
  description: string | null;
  remediation: string | null;
  categories: string[];
  threats: string[];
  userImpact: string | null;
  implementationEffort: string | null;
  policyDefinitionId: string | null;
  assessmentType: string;
  isPreview: boolean;
};

export const ZSdkSecureScore = z
  .object({
    id: z.string(),
    name: z.string(),
    displayName: z.string().optional(),
    max: z.number().optional(),
    current: z.number().optional(),
    percentage: z.number().optional(),
    weight: z.number().optional(),
  })
  .passthrough();

export type AzureSecureScore = {
  subscriptionId: string;
  name: string;
  displayName: string;
  max: number;
  current: number;
  percentage: number;
  weight: number;
};

export const ZSdkSecureScoreControl = z
  .object({
    id: z.string(),
    name: z.string(),
    displayName: z.string().optional(),
    healthyResourceCount: z.number().optional(),
    unhealthyResourceCount: z.number().optional(),
    notApplicableResourceCount: z.number().optional(),
    weight: z.number().optional(),
    max: z.number().optional(),
    current: z.number().optional(),
    percentage: z.number().optional(),
    /** With $expand=definition (the SDK flattens properties.definition.properties). */
    definition: z
      .object({ assessmentDefinitions: z.array(z.object({ id: z.string().optional() }).passthrough()).optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();

/** "/providers/Microsoft.Security/assessmentMetadata/{key}" → key (lowercase, like Recommendation.key); others are skipped. */
export function assessmentKeysOf(links: Array<{ id?: string }> | undefined): string[] {
  const keys = new Set<string>();
  for (const l of links ?? []) {
    const m = /\/assessmentMetadata\/([^/]+)$/i.exec(l.id ?? "");
    if (m) keys.add(m[1]!.toLowerCase());
  }
  return [...keys];
}

export type AzureSecureScoreControl = {
  subscriptionId: string;
  key: string;
  displayName: string;
  healthy: number;
  unhealthy: number;
  notApplicable: number;
  max: number;
  current: number;
  percentage: number;
  weight: number;
  /** Recommendation keys in the control (empty when the definition was not returned). */
  assessmentKeys: string[];
};

/** A checked secure score (ARM listing or Resource Graph row) as the product stores it. */
export function secureScoreOf(subscriptionId: string, s: z.infer<typeof ZSdkSecureScore>): AzureSecureScore {
  return {
    subscriptionId,
    name: s.name,
    displayName: s.displayName ?? s.name,
    max: s.max ?? 0,
    current: s.current ?? 0,
    percentage: s.percentage ?? 0,
    weight: s.weight ?? 0,
  };
}

/** A checked secure score control (ARM listing or Resource Graph row) as the product stores it. */
export function secureScoreControlOf(subscriptionId: string, c: z.infer<typeof ZSdkSecureScoreControl>): AzureSecureScoreControl {
  return {
    subscriptionId,
    key: c.name,
    displayName: c.displayName ?? c.name,
    healthy: c.healthyResourceCount ?? 0,
    unhealthy: c.unhealthyResourceCount ?? 0,
    notApplicable: c.notApplicableResourceCount ?? 0,
    max: c.max ?? 0,
    current: c.current ?? 0,
    percentage: c.percentage ?? 0,
    weight: c.weight ?? 0,
    assessmentKeys: assessmentKeysOf(c.definition?.assessmentDefinitions),
  };
}

export const ZComplianceState = z.enum(["Passed", "Failed", "Skipped", "Unsupported"]);

export const ZSdkComplianceStandard = z
  .object({
    name: z.string(),
    state: ZComplianceState,
    passedControls: z.number(),
    failedControls: z.number(),
    skippedControls: z.number(),
    unsupportedControls: z.number(),
  })
  .passthrough();
export const ZSdkComplianceControl = z
  .object({
    name: z.string(),
    description: z.string().optional(),
    state: ZComplianceState,
    passedAssessments: z.number(),
    failedAssessments: z.number(),
    skippedAssessments: z.number(),
  })
  .passthrough();
export const ZSdkComplianceAssessment = z
  .object({
    name: z.string(),
    description: z.string().optional(),
    state: ZComplianceState,
    passedResources: z.number(),
    failedResources: z.number(),
    skippedResources: z.number(),
  })
  .passthrough();

export type AzureComplianceStandard = z.infer<typeof ZSdkComplianceStandard>;
export type AzureComplianceControl = z.infer<typeof ZSdkComplianceControl>;
export type AzureComplianceAssessment = z.infer<typeof ZSdkComplianceAssessment>;

export const ZSubscription = z
  .object({ subscriptionId: z.string().min(1), displayName: z.string(), state: z.string(), tenantId: z.string().optional() })
  .passthrough();
export type AzureSubscription = { subscriptionId: string; displayName: string; state: string };

export const ZArmList = z.object({ value: z.array(z.unknown()), nextLink: z.string().url().nullish() }).passthrough();

/** Governance assignment properties (2022-01-01-preview); also the body PostureDesk sends. */
export const ZGovernanceAssignmentProperties = z
  .object({
    owner: z.string().optional(),
    remediationDueDate: z.string(),
    remediationEta: z.object({ eta: z.string(), justification: z.string() }).optional(),
    isGracePeriod: z.boolean().optional(),
    governanceEmailNotification: z
      .object({ disableManagerEmailNotification: z.boolean().optional(), disableOwnerEmailNotification: z.boolean().optional() })
      .optional(),
    additionalData: z
      .object({ ticketNumber: z.number().int().min(0).optional(), ticketLink: z.string().optional(), ticketStatus: z.string().optional() })
      .optional(),
  })
  .passthrough();
export type GovernanceAssignmentProperties = z.infer<typeof ZGovernanceAssignmentProperties>;

export const ZGovernanceAssignment = z
  .object({ id: z.string(), name: z.string(), properties: ZGovernanceAssignmentProperties })
  .passthrough();
export type GovernanceAssignment = z.infer<typeof ZGovernanceAssignment>;

export const ZGovernanceRuleProperties = z
  .object({
    displayName: z.string(),
    description: z.string().optional(),
    remediationTimeframe: z.string().optional(),
    isGracePeriod: z.boolean().optional(),
    rulePriority: z.number().int(),
    isDisabled: z.boolean().optional(),
    ruleType: z.enum(["Integrated", "ServiceNow"]),
    sourceResourceType: z.literal("Assessments"),
    conditionSets: z.array(z.object({ conditions: z.array(z.object({ property: z.string(), value: z.string(), operator: z.string() })) })),
    ownerSource: z.object({ type: z.enum(["ByTag", "Manually"]), value: z.string() }),
    governanceEmailNotification: z
      .object({ disableManagerEmailNotification: z.boolean().optional(), disableOwnerEmailNotification: z.boolean().optional() })
      .optional(),
  })
  .passthrough();
export type GovernanceRuleProperties = z.infer<typeof ZGovernanceRuleProperties>;
export const ZGovernanceRule = z.object({ id: z.string(), name: z.string(), properties: ZGovernanceRuleProperties }).passthrough();
export type GovernanceRule = z.infer<typeof ZGovernanceRule>;

export const ZResourceGraphResponse = z
  .object({
    totalRecords: z.number().int(),
    count: z.number().int(),
    resultTruncated: z.union([z.string(), z.boolean()]),
    $skipToken: z.string().optional(),
    // Rows are checked one by one by the caller: one odd row must not make the whole page unreadable.
    data: z.array(z.unknown()),
  })
  .passthrough();

/** Resource group of an ARM id, or null for subscription-level ids. */
export function resourceGroupOf(resourceId: string): string | null {
  return /\/resourceGroups\/([^/]+)/i.exec(resourceId)?.[1] ?? null;
}

export function subscriptionOf(resourceId: string): string {
  return /\/subscriptions\/([^/]+)/i.exec(resourceId)?.[1]?.toLowerCase() ?? "";
}
