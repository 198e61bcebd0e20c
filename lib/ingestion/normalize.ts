// Tolerant normalization of what Defender returns: an assessment as the SDK hands it (properties
// flattened onto the object) or as a Resource Graph row (ARM JSON with `properties`), and assessment
// metadata. Unlike lib/azure's strict streams, one bad item never stops a page: it comes back as a
// rejection with a reason, which ingestion records as a "skipped" event. Odd casing is normalized
// (status codes, severities, ids), since ARM treats ids case-insensitively and returns them in
// varying case.

export type FindingStatusCode = "Healthy" | "Unhealthy" | "NotApplicable";
export type SeverityCode = "High" | "Medium" | "Low";

export type NormalizedAssessment = {
  /** Lowercased full ARM id of the assessment (the Finding's identity). */
  armId: string;
  /** Lowercased recommendation (assessment metadata) key. */
  key: string;
  subscriptionId: string;
  resourceGroup: string | null;
  resourceId: string;
  resourceType: string;
  resourceName: string;
  resourceSource: string;
  displayName: string | null;
  status: FindingStatusCode;
  cause: string | null;
  description: string | null;
  firstEvaluationAt: Date | null;
  statusChangedAt: Date | null;
  portalUrl: string | null;
  /** Resource Graph rows carry the metadata inline. */
  metadata: NormalizedRecommendation | null;
  /** AWS and GCP resources assessed through a security connector (null for Azure and on-premises ones). */
  cloud: NormalizedCloud | null;
};

/**
 * What identifies an AWS or GCP resource outside Azure: the native id (ARN or GCP full resource name), the
 * AWS account or GCP project, the region (or zone) and the security connector it is assessed through.
 */
export type NormalizedCloud = {
  source: "Aws" | "Gcp";
  nativeResourceId: string | null;
  /** AWS account id, or GCP project id (else the project number). */
  accountId: string | null;
  region: string | null;
  /** Full ARM id of the security connector. */
  connectorId: string | null;
};

export type NormalizedRecommendation = {
  key: string;
  displayName: string;
  severity: SeverityCode;
  description: string;
  remediation: string;
  categories: string[];
  threats: string[];
  userImpact: string | null;
  implementationEffort: string | null;
  policyDefinitionId: string | null;
  assessmentType: string | null;
  isPreview: boolean;
};

export type Rejection = { ok: false; id: string | null; reason: string; sample: string };
export type Normalized<T> = { ok: true; value: T } | Rejection;

const STATUS: Record<string, FindingStatusCode> = {
  healthy: "Healthy",
  unhealthy: "Unhealthy",
  notapplicable: "NotApplicable",
  "not applicable": "NotApplicable",
};
const SEVERITY: Record<string, SeverityCode> = { high: "High", medium: "Medium", low: "Low" };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x.trim() !== "").map((x) => x.trim()) : [];

function date(v: unknown): Date | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v !== "string" || v.trim() === "") return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A short excerpt of the offending item for the event (never whole pages). */
export function sampleOf(item: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(item) ?? String(item);
  } catch {
    text = String(item);
  }
  return text.length > 1000 ? `${text.slice(0, 1000)}…` : text;
}

function reject(item: unknown, id: string | null, reason: string): Rejection {
  return { ok: false, id, reason, sample: sampleOf(item) };
}

/** ARM resource type of a resource id: provider + type segments ("microsoft.sql/servers/databases"), lowercased. */
export function resourceTypeOf(resourceId: string): string {
  const parts = resourceId.split("/").filter(Boolean);
  const i = parts.findIndex((p) => p.toLowerCase() === "providers");
  if (i < 0) return parts.length <= 2 ? "microsoft.resources/subscriptions" : "microsoft.resources/resourcegroups";
  const provider = parts[i + 1] ?? "";
  const types = parts.slice(i + 2).filter((_, k) => k % 2 === 0);
  return [provider, ...types].join("/").toLowerCase();
}

const ASSESSMENT_SUFFIX = /\/providers\/microsoft\.security\/assessments\/([^/]+)$/i;

/** `knownMetadata`: keys whose inline metadata was already taken in this run (not normalized again: it is most of the cost). */
export function normalizeAssessment(item: unknown, knownMetadata?: ReadonlySet<string>): Normalized<NormalizedAssessment> {
  if (!isObj(item)) return reject(item, null, "the item is not an object");
  const id = str(item.id);
  if (!id) return reject(item, null, "the assessment has no id");
  const suffix = ASSESSMENT_SUFFIX.exec(id);
  if (!suffix) return reject(item, id, "the id is not an assessment id (…/providers/Microsoft.Security/assessments/{name})");
  // SDK models are flattened; Resource Graph rows and raw ARM keep `properties`.
  const p = isObj(item.properties) ? item.properties : item;
  const key = (str(item.name) ?? suffix[1]!).toLowerCase();

  const status = isObj(p.status) ? p.status : null;
  if (!status) return reject(item, id, "the assessment has no status");
  const rawCode = str(status.code);
  if (!rawCode) return reject(item, id, "the assessment status has no code");
  const code = STATUS[rawCode.toLowerCase()];
  if (!code) return reject(item, id, `unknown status code "${rawCode.slice(0, 50)}" (expected Healthy, Unhealthy or NotApplicable)`);

  const details = isObj(p.resourceDetails) ? p.resourceDetails : {};
  const resourceId = str(details.id) ?? str(details.Id) ?? str(details.ResourceId) ?? str(details.resourceId) ?? id.slice(0, suffix.index);
  const cloud = cloudOf(details, resourceId);
  const subscriptionId =
    /\/subscriptions\/([^/]+)/i.exec(resourceId)?.[1]?.toLowerCase() ?? /\/subscriptions\/([^/]+)/i.exec(id)?.[1]?.toLowerCase();
  if (!subscriptionId) return reject(item, id, "no subscription in the resource id");
  const links = isObj(p.links) ? p.links : {};

  return {
    ok: true,
    value: {
      armId: id.toLowerCase(),
      key,
      subscriptionId,
      resourceGroup: /\/resourceGroups\/([^/]+)/i.exec(resourceId)?.[1] ?? null,
      resourceId,
      resourceType: cloud ? cloudResourceType(cloud.source, details, resourceId) : resourceTypeOf(resourceId),
      resourceName: (cloud ? cloudResourceName(details, cloud) : null) ?? resourceId.split("/").filter(Boolean).at(-1) ?? resourceId,
      resourceSource: cloud?.source ?? str(details.source) ?? str(details.Source) ?? "Azure",
      displayName: str(p.displayName),
      status: code,
      cause: str(status.cause),
      description: str(status.description),
      firstEvaluationAt: date(status.firstEvaluationDate),
      statusChangedAt: date(status.statusChangeDate),
      portalUrl: str(links.azurePortalUri) ?? str(links.azurePortalURI),
      metadata: isObj(p.metadata) && !knownMetadata?.has(key) ? toRecommendation(key, p.metadata) : null,
      cloud,
    },
  };
}

// ---- Multicloud (AWS, GCP) resources --------------------------------------------------------------------
// Defender reports them with resourceDetails.source "Aws"/"Gcp" (any casing of the keys: Resource Graph rows
// use PascalCase, REST bodies camelCase) and an Azure-side id under the connector,
// …/providers/Microsoft.Security/securityConnectors/{name}/securityEntityData/{entity}. The account and region
// come from explicit fields when present, else from the native id (ARN: arn:aws:{service}:{region}:{account}:…;
// GCP full resource name: //{service}.googleapis.com/projects/{project}/(zones|regions|locations)/{where}/…).
// docs/EMULATORS.md, "Multicloud findings", lists the sources and what is assumed.

const CLOUD_SOURCES: Record<string, "Aws" | "Gcp"> = { aws: "Aws", gcp: "Gcp", amazon: "Aws", google: "Gcp" };
const CONNECTOR = /^(.*\/providers\/microsoft\.security\/securityconnectors\/[^/]+)(?:\/|$)/i;

/** A key of resourceDetails whatever its casing (Id / id / ID). */
function field(details: Obj, ...names: string[]): string | null {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  for (const [k, v] of Object.entries(details))
    if (wanted.has(k.toLowerCase())) {
      const s = str(v);
      if (s) return s;
    }
  return null;
}

function cloudOf(details: Obj, resourceId: string): NormalizedCloud | null {
  const rawSource = field(details, "source");
  const isEntity = /\/securityentitydata\//i.test(resourceId);
  const source =
    (rawSource ? CLOUD_SOURCES[rawSource.toLowerCase()] : undefined) ??
    (isEntity
      ? /\/securityentitydata\/gcp-/i.test(resourceId)
        ? "Gcp"
        : /\/securityentitydata\/aws-/i.test(resourceId)
          ? "Aws"
          : undefined
      : undefined);
  if (!source) return null;
  const nativeResourceId = field(details, "nativeResourceId", "awsResourceId", "gcpResourceId", "arn");
  const arn = source === "Aws" && nativeResourceId?.startsWith("arn:") ? nativeResourceId.split(":") : null;
  const gcp =
    source === "Gcp" && nativeResourceId ? /\/projects\/([^/]+)(?:\/(?:zones|regions|locations)\/([^/]+))?/i.exec(nativeResourceId) : null;
  const accountId =
    (source === "Aws" ? field(details, "awsAccountId", "accountId") : field(details, "gcpProjectId", "projectId")) ??
    (arn && arn[4] ? arn[4] : null) ??
    (gcp && gcp[1] !== "_" ? gcp[1]! : null) ??
    field(details, "hierarchyId", "hierarchyIdentifier", "environmentHierarchyId", "gcpProjectNumber", "projectNumber");
  const region =
    field(details, source === "Aws" ? "awsRegion" : "gcpLocation", "region", "location") ??
    (arn && arn[3] ? arn[3] : null) ??
    gcp?.[2] ??
    null;
  const connector = CONNECTOR.exec(resourceId)?.[1] ?? null;
  return { source, nativeResourceId, accountId, region, connectorId: connector };
}

/** "aws/s3/bucket", "gcp/compute/instances": the cloud, service and kind, lowercased. */
function cloudResourceType(source: "Aws" | "Gcp", details: Obj, resourceId: string): string {
  const provider = field(details, "resourceProvider");
  const type = field(details, "resourceType");
  const cloud = source.toLowerCase();
  if (provider && type) return `${cloud}/${provider}/${type}`.toLowerCase();
  // Else the entity name: aws-ec2-instance-… → aws/ec2/instance.
  const entity = /\/securityentitydata\/([^/]+)$/i.exec(resourceId)?.[1]?.toLowerCase().split("-");
  return entity && entity.length >= 3 ? `${cloud}/${entity[1]}/${entity[2]}` : `${cloud}/resource`;
}

function cloudResourceName(details: Obj, cloud: NormalizedCloud): string | null {
  const named = field(details, "resourceName");
  if (named) return named;
  const native = cloud.nativeResourceId;
  if (!native) return null;
  // ARN resource part ("instance/i-0a1b…", "bucket-name", "role/admins") or the last segment of a GCP name.
  const last = native.startsWith("arn:") ? native.split(":").slice(5).join(":") : native;
  return last.split("/").filter(Boolean).at(-1) ?? null;
}

function toRecommendation(key: string, m: Obj): NormalizedRecommendation | null {
  const displayName = str(m.displayName);
  const severity = SEVERITY[(str(m.severity) ?? "").toLowerCase()];
  if (!displayName || !severity) return null;
  return {
    key,
    displayName,
    severity,
    description: str(m.description) ?? "",
    remediation: str(m.remediationDescription) ?? "",
    categories: strings(m.categories),
    threats: strings(m.threats),
    userImpact: str(m.userImpact),
    implementationEffort: str(m.implementationEffort),
    policyDefinitionId: str(m.policyDefinitionId),
    assessmentType: str(m.assessmentType),
    isPreview: m.preview === true,
  };
}

/** Assessment metadata as the SDK hands it (flattened) or as ARM JSON. */
export function normalizeMetadata(item: unknown): Normalized<NormalizedRecommendation> {
  if (!isObj(item)) return reject(item, null, "the item is not an object");
  const key = str(item.name)?.toLowerCase() ?? str(item.id)?.split("/").at(-1)?.toLowerCase() ?? null;
  if (!key) return reject(item, null, "the assessment metadata has no name");
  const p = isObj(item.properties) ? item.properties : item;
  const value = toRecommendation(key, p);
  if (!value) {
    const severity = str(p.severity);
    return reject(
      item,
      key,
      !str(p.displayName)
        ? "the assessment metadata has no displayName"
        : `unknown severity "${(severity ?? "").slice(0, 30)}" (expected High, Medium or Low)`,
    );
  }
  return { ok: true, value };
}

/** Recommendation key of a regulatory compliance assessment (its details link names the assessment). */
export function recommendationKeyOfCompliance(name: string, detailsLink: unknown): string | null {
  const fromLink = typeof detailsLink === "string" ? /assessmentKey\/([^/?#]+)/i.exec(detailsLink)?.[1] : undefined;
  if (fromLink) return fromLink.toLowerCase();
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(name) ? name.toLowerCase() : null;
}

/** Portal link of a recommendation (used when an assessment carries no link of its own). */
export function recommendationPortalUrl(key: string): string {
  return `https://portal.azure.com/#blade/Microsoft_Azure_Security/RecommendationsBlade/assessmentKey/${encodeURIComponent(key)}`;
}
