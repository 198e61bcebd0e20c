// Microsoft.Security resource shapes (2021-06-01 assessments and metadata), as in the official examples.
import { createHash } from "node:crypto";
import type { CatalogRecommendation } from "../seed/catalog";
import { RT } from "../seed/resource-types";
import type { Assessment, Resource } from "../seed/types";

export const PORTAL = "https://portal.azure.com";

export function metadataProperties(rec: CatalogRecommendation): Record<string, unknown> {
  const day = parseInt(createHash("sha1").update(rec.key).digest("hex").slice(0, 4), 16);
  const ga = new Date(Date.UTC(2019, 0, 1) + (day % 1500) * 86400_000);
  const date = `${String(ga.getUTCMonth() + 1).padStart(2, "0")}/${String(ga.getUTCDate()).padStart(2, "0")}/${ga.getUTCFullYear()}`;
  return {
    displayName: rec.displayName,
    policyDefinitionId: rec.policyDefinitionId,
    description: rec.description,
    remediationDescription: rec.remediationDescription,
    categories: rec.categories,
    severity: rec.severity,
    userImpact: rec.userImpact,
    implementationEffort: rec.implementationEffort,
    threats: rec.threats,
    publishDates: { ga: date, public: date },
    ...(rec.plannedDeprecationDate ? { plannedDeprecationDate: rec.plannedDeprecationDate } : {}),
    ...(rec.preview ? { preview: true } : {}),
    assessmentType: rec.assessmentType,
  };
}

export function serializeMetadata(rec: CatalogRecommendation): Record<string, unknown> {
  return {
    id: `/providers/Microsoft.Security/assessmentMetadata/${rec.key}`,
    name: rec.key,
    type: "Microsoft.Security/assessmentMetadata",
    properties: metadataProperties(rec),
  };
}

export function portalUri(key: string): string {
  return `${PORTAL}/#blade/Microsoft_Azure_Security/RecommendationsBlade/assessmentKey/${key}`;
}

/** Extra data Defender attaches to some assessments (machines report their Log Analytics workspace). */
function additionalData(a: Assessment, resource: Resource | undefined): Record<string, string> | undefined {
  if (!resource || (resource.type !== RT.vm && resource.type !== RT.vmss)) return undefined;
  return {
    linkedWorkspaceId: `/subscriptions/${a.subscriptionId}/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/law-${a.subscriptionId.slice(0, 8)}`,
  };
}

/**
 * `resourceDetails`: Azure resources as in the 2021-06-01 examples; AWS and GCP resources (behind a security
 * connector) with Source "Aws"/"Gcp", the Azure-side entity id, the native id (ARN or GCP full resource name)
 * and the connector's hierarchy id and region, in the PascalCase Defender uses for these rows (see
 * docs/EMULATORS.md, "Multicloud findings", for what is documented and what is assumed).
 */
export function resourceDetailsOf(a: Assessment, resource: Resource | undefined): Record<string, unknown> {
  const cloud = resource?.cloud;
  if (!resource || !cloud) return { source: "Azure", id: a.resourceId };
  return {
    Source: cloud.source,
    Id: resource.id,
    NativeResourceId: cloud.nativeResourceId,
    ResourceName: resource.name,
    ResourceProvider: cloud.resourceProvider,
    ResourceType: cloud.resourceType,
    ConnectorId: cloud.connectorName,
    HierarchyId: cloud.hierarchyId,
    Region: cloud.region,
    ...(cloud.source === "Gcp" ? { ProjectId: cloud.accountId } : {}),
  };
}

export type AssessmentExpand = { links: boolean; metadata: boolean };

export function assessmentProperties(
  a: Assessment,
  rec: CatalogRecommendation | undefined,
  resource: Resource | undefined,
  expand: AssessmentExpand = { links: false, metadata: false },
): Record<string, unknown> {
  const status: Record<string, unknown> = { code: a.status };
  if (a.cause !== undefined) status.cause = a.cause;
  if (a.description !== undefined) status.description = a.description;
  status.firstEvaluationDate = a.firstEvaluationDate;
  status.statusChangeDate = a.statusChangeDate;
  const props: Record<string, unknown> = {
    resourceDetails: resourceDetailsOf(a, resource),
    displayName: rec?.displayName ?? a.key,
    status,
  };
  const extra = additionalData(a, resource);
  if (extra) props.additionalData = extra;
  if (expand.links) props.links = { azurePortalUri: portalUri(a.key) };
  if (expand.metadata && rec) props.metadata = metadataProperties(rec);
  return props;
}

export function serializeAssessment(
  a: Assessment,
  rec: CatalogRecommendation | undefined,
  resource: Resource | undefined,
  expand?: AssessmentExpand,
): Record<string, unknown> {
  return { id: a.id, name: a.key, type: "Microsoft.Security/assessments", properties: assessmentProperties(a, rec, resource, expand) };
}

export function parseExpand(value: string | null): AssessmentExpand {
  const parts = (value ?? "")
    .toLowerCase()
    .split(",")
    .map((p) => p.trim());
  return { links: parts.includes("links"), metadata: parts.includes("metadata") };
}
