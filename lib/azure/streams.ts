// Page-by-page streams over the SDK's paged listings (async generators: one array per ARM page), each
// item zod-checked and normalized. A failure mid-listing (after the SDK's own retries) throws an AppError;
// pages already yielded stay valid, so a caller can record progress and resume.
import "server-only";
import type { SecurityCenter } from "@azure/arm-security";
import { AppError } from "@/lib/http/errors";
import { toAzureAppError } from "./errors";
import {
  type AzureAssessment,
  type AzureComplianceAssessment,
  type AzureComplianceControl,
  type AzureComplianceStandard,
  type AzureRecommendation,
  type AzureSecureScore,
  type AzureSecureScoreControl,
  assessmentOf,
  secureScoreControlOf,
  secureScoreOf,
  subscriptionOf,
  ZSdkAssessment,
  ZSdkComplianceAssessment,
  ZSdkComplianceControl,
  ZSdkComplianceStandard,
  ZSdkMetadata,
  ZSdkSecureScore,
  ZSdkSecureScoreControl,
} from "./schemas";
import type { z } from "zod";

export type SecurityStreams = {
  /** Assessments of a subscription (or a narrower scope: resource group / resource id). */
  assessments(subscriptionId: string, options?: { scope?: string }): AsyncGenerator<AzureAssessment[]>;
  getAssessment(resourceId: string, key: string, options?: { expand?: "links" | "metadata" }): Promise<AzureAssessment>;
  /** Recommendation catalog (assessment metadata), tenant-wide or as seen by a subscription. */
  recommendations(subscriptionId?: string): AsyncGenerator<AzureRecommendation[]>;
  secureScores(subscriptionId: string): AsyncGenerator<AzureSecureScore[]>;
  secureScoreControls(subscriptionId: string): AsyncGenerator<AzureSecureScoreControl[]>;
  complianceStandards(subscriptionId: string): AsyncGenerator<AzureComplianceStandard[]>;
  complianceControls(subscriptionId: string, standard: string): AsyncGenerator<AzureComplianceControl[]>;
  complianceAssessments(subscriptionId: string, standard: string, control: string): AsyncGenerator<AzureComplianceAssessment[]>;
};

function check<S extends z.ZodTypeAny>(schema: S, item: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(item);
  if (!parsed.success) {
    throw new AppError("UPSTREAM_UNAVAILABLE", {
      message: `Azure ${what} item has an unexpected shape: ${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join(".")}: ${i.message}`)
        .join("; ")}`,
    });
  }
  return parsed.data;
}

export function normalizeSdkAssessment(item: unknown): AzureAssessment {
  const a = check(ZSdkAssessment, item, "assessment");
  const resourceId = a.resourceDetails.id ?? a.id.replace(/\/providers\/Microsoft\.Security\/assessments\/[^/]+$/i, "");
  return assessmentOf({ id: a.id, name: a.name, resourceId }, a);
}

async function* pages<T, U>(iterator: AsyncIterableIterator<T[]>, map: (item: T) => U, what: string): AsyncGenerator<U[]> {
  try {
    for await (const page of iterator) yield page.map(map);
  } catch (error) {
    throw toAzureAppError(error, what);
  }
}

export function createSecurityStreams(security: (subscriptionId: string) => SecurityCenter): SecurityStreams {
  return {
    assessments(subscriptionId, options = {}) {
      const scope = (options.scope ?? `subscriptions/${subscriptionId}`).replace(/^\/+/, "");
      return pages(security(subscriptionId).assessments.list(scope).byPage(), normalizeSdkAssessment, `assessment listing of ${scope}`);
    },
    async getAssessment(resourceId, key, options = {}) {
      try {
        const item = await security(subscriptionOf(resourceId)).assessments.get(
          resourceId.replace(/^\/+/, ""),
          key,
          options.expand ? { expand: options.expand } : undefined,
        );
        return normalizeSdkAssessment(item);
      } catch (error) {
        throw toAzureAppError(error, `assessment ${key} of ${resourceId}`);
      }
    },
    recommendations(subscriptionId) {
      const client = security(subscriptionId ?? "00000000-0000-0000-0000-000000000000");
      const iterator = subscriptionId
        ? client.assessmentsMetadata.listBySubscription().byPage()
        : client.assessmentsMetadata.list().byPage();
      return pages(
        iterator,
        (item) => {
          const m = check(ZSdkMetadata, item, "assessment metadata");
          return {
            key: m.name,
            displayName: m.displayName,
            severity: m.severity,
            description: m.description ?? null,
            remediation: m.remediationDescription ?? null,
            categories: m.categories ?? [],
            threats: m.threats ?? [],
            userImpact: m.userImpact ?? null,
            implementationEffort: m.implementationEffort ?? null,
            policyDefinitionId: m.policyDefinitionId ?? null,
            assessmentType: m.assessmentType,
            isPreview: m.preview ?? false,
          };
        },
        "assessment metadata listing",
      );
    },
    secureScores(subscriptionId) {
      return pages(
        security(subscriptionId).secureScores.list().byPage(),
        (item) => secureScoreOf(subscriptionId, check(ZSdkSecureScore, item, "secure score")),
        "secure score listing",
      );
    },
    secureScoreControls(subscriptionId) {
      return pages(
        // $expand=definition adds each control's definition with the assessment metadata ids of its recommendations.
        security(subscriptionId).secureScoreControls.list({ expand: "definition" }).byPage(),
        (item) => secureScoreControlOf(subscriptionId, check(ZSdkSecureScoreControl, item, "secure score control")),
        "secure score control listing",
      );
    },
    complianceStandards(subscriptionId) {
      return pages(
        security(subscriptionId).regulatoryComplianceStandards.list().byPage(),
        (i) => check(ZSdkComplianceStandard, i, "compliance standard"),
        "regulatory compliance standards",
      );
    },
    complianceControls(subscriptionId, standard) {
      return pages(
        security(subscriptionId).regulatoryComplianceControls.list(standard).byPage(),
        (i) => check(ZSdkComplianceControl, i, "compliance control"),
        `controls of ${standard}`,
      );
    },
    complianceAssessments(subscriptionId, standard, control) {
      return pages(
        security(subscriptionId).regulatoryComplianceAssessments.list(standard, control).byPage(),
        (i) => check(ZSdkComplianceAssessment, i, "compliance assessment"),
        `assessments of ${standard}/${control}`,
      );
    },
  };
}
