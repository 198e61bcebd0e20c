// Tolerant normalization of Defender sub-assessments (Microsoft.Security/assessments/subAssessments,
// api-version 2019-01-01-preview / 2025-05-04-preview): one vulnerability behind a finding of a
// "… should have vulnerability findings resolved" recommendation. Accepts a Resource Graph row or an ARM
// item ({id, name, properties}) and the SDK's flattened form. `additionalData` is discriminated by
// `assessedResourceType`: ServerVulnerabilityAssessment (the spec's enum also says ServerVulnerability:
// both are accepted), ContainerRegistryVulnerability, SqlServerVulnerability; anything else is kept as
// kind "other" with its CVEs if it has any. One bad item never stops a page: it comes back as a rejection.
import { createHash } from "node:crypto";
import { type FindingStatusCode, type Normalized, sampleOf, type SeverityCode } from "./normalize";

export type SubAssessmentKind = "server" | "container" | "sql" | "other";

export type TCveRef = { id: string; link: string };
export type TVendorReference = { title: string; link: string | null };

/** The kind's own fields (stored as SubAssessment.details). */
export type TSubAssessmentDetails =
  | { kind: "server"; cveLinks: TCveRef[]; threat: string | null; vendorReferences: TVendorReference[]; remediationLink: string | null }
  | {
      kind: "container";
      cveLinks: TCveRef[];
      repositoryName: string | null;
      imageDigest: string | null;
      imageName: string | null;
      vendorReferences: TVendorReference[];
      remediationLink: string | null;
    }
  | { kind: "sql"; cveLinks: TCveRef[]; checkType: string | null; query: string | null; benchmarks: string[] }
  | { kind: "other"; cveLinks: TCveRef[]; assessedResourceType: string | null };

export type NormalizedSubAssessment = {
  /** Lowercased full ARM id: {assessment id}/subassessments/{name}. */
  armId: string;
  /** Lowercased ARM id of the assessment (the Finding) it belongs to. */
  parentArmId: string;
  vulnerabilityId: string;
  displayName: string;
  severity: SeverityCode;
  status: FindingStatusCode;
  kind: SubAssessmentKind;
  /** Upper-cased CVE ids, unique, in Defender's order. */
  cves: string[];
  cvssScore: number | null;
  cvssVersion: string | null;
  patchable: boolean | null;
  publishedAt: Date | null;
  remediation: string | null;
  category: string | null;
  description: string | null;
  timeGenerated: Date | null;
  details: TSubAssessmentDetails;
  /** md5 of everything above but timeGenerated: what decides whether a stored row is rewritten. */
  hash: string;
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

const STATUS: Record<string, FindingStatusCode> = { healthy: "Healthy", unhealthy: "Unhealthy", notapplicable: "NotApplicable" };
// Defender's vulnerability scanners also say "Critical" (MDVM); PostureDesk's scale tops out at High.
const SEVERITY: Record<string, SeverityCode> = {
  critical: "High",
  high: "High",
  medium: "Medium",
  moderate: "Medium",
  low: "Low",
  informational: "Low",
};

const CVE_IN_TEXT = /CVE-\d{4}-\d{4,}/i;

/** NIST's page for a CVE: the link PostureDesk shows when Defender's own is missing or not https. */
export function nvdLink(cve: string): string {
  return `https://nvd.nist.gov/vuln/detail/${cve}`;
}

function date(v: unknown): Date | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v !== "string" || v.trim() === "") return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

function safeLink(v: unknown): string | null {
  const s = str(v);
  if (!s) return null;
  try {
    const url = new URL(s);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : null;
  } catch {
    return null;
  }
}

/** `cve: [{title, link}]` (title is the CVE id); ids found elsewhere are added with NIST's link. */
export function cveRefsOf(additionalData: Obj, vulnerabilityId: string): TCveRef[] {
  const refs = new Map<string, TCveRef>();
  const list = Array.isArray(additionalData.cve) ? additionalData.cve : [];
  for (const entry of list) {
    const title = isObj(entry) ? str(entry.title) : str(entry);
    const match = title ? CVE_IN_TEXT.exec(title) : null;
    if (!match) continue;
    const id = match[0].toUpperCase();
    if (refs.has(id)) continue;
    // Defender's own link where it is an https one (the spec's examples carry placeholders such as
    // http://contoso.com): else NIST's page, which every CVE has.
    const link = isObj(entry) ? safeLink(entry.link) : null;
    refs.set(id, { id, link: link && link.startsWith("https:") ? link : nvdLink(id) });
  }
  const own = CVE_IN_TEXT.exec(vulnerabilityId);
  if (own && !refs.has(own[0].toUpperCase()))
    refs.set(own[0].toUpperCase(), { id: own[0].toUpperCase(), link: nvdLink(own[0].toUpperCase()) });
  return [...refs.values()];
}

/** `cvss: {"2.0": {base}, "3.0": {base}}`: the newest version with a numeric base score. */
export function cvssOf(additionalData: Obj): { score: number; version: string } | null {
  if (!isObj(additionalData.cvss)) return null;
  let best: { score: number; version: string } | null = null;
  for (const [version, value] of Object.entries(additionalData.cvss)) {
    const base = isObj(value) ? value.base : value;
    const score = typeof base === "number" ? base : typeof base === "string" ? Number(base) : NaN;
    if (!Number.isFinite(score) || score < 0 || score > 10) continue;
    if (!best || Number(version) > Number(best.version)) best = { score, version };
  }
  return best;
}

function vendorReferencesOf(additionalData: Obj): TVendorReference[] {
  if (!Array.isArray(additionalData.vendorReferences)) return [];
  return additionalData.vendorReferences
    .flatMap((r) => (isObj(r) && str(r.title) ? [{ title: str(r.title)!, link: safeLink(r.link) }] : []))
    .slice(0, 20);
}

export function kindOf(assessedResourceType: string | null): SubAssessmentKind {
  switch (assessedResourceType?.toLowerCase()) {
    case "servervulnerabilityassessment":
    case "servervulnerability":
      return "server";
    case "containerregistryvulnerability":
      return "container";
    case "sqlservervulnerability":
      return "sql";
    default:
      return "other";
  }
}

function detailsOf(kind: SubAssessmentKind, data: Obj, cveLinks: TCveRef[], assessedResourceType: string | null): TSubAssessmentDetails {
  switch (kind) {
    case "server":
      return {
        kind,
        cveLinks,
        threat: str(data.threat),
        vendorReferences: vendorReferencesOf(data),
        remediationLink: safeLink(data.remediationLink),
      };
    case "container":
      return {
        kind,
        cveLinks,
        repositoryName: str(data.repositoryName),
        imageDigest: str(data.imageDigest),
        imageName: str(data.imageName),
        vendorReferences: vendorReferencesOf(data),
        remediationLink: safeLink(data.remediationLink),
      };
    case "sql":
      return {
        kind,
        cveLinks,
        checkType: str(data.type),
        query: typeof data.query === "string" ? data.query.slice(0, 4000) : null,
        benchmarks: Array.isArray(data.benchmarks) ? data.benchmarks.filter((b): b is string => typeof b === "string").slice(0, 20) : [],
      };
    default:
      return { kind: "other", cveLinks, assessedResourceType };
  }
}

const SUB_ID = /^(\/subscriptions\/[^/]+\/.+\/providers\/microsoft\.security\/assessments\/[^/]+)\/subassessments\/[^/]+$/;

export function normalizeSubAssessment(raw: unknown): Normalized<NormalizedSubAssessment> {
  const reject = (reason: string, id: string | null = null) => ({ ok: false as const, id, reason, sample: sampleOf(raw) });
  if (!isObj(raw)) return reject("the item is not an object");
  const rawId = str(raw.id);
  if (!rawId) return reject("the item has no id");
  const armId = rawId.toLowerCase();
  const parent = SUB_ID.exec(armId);
  if (!parent) return reject("the id is not a sub-assessment id ({assessment id}/subAssessments/{name})", rawId);
  // Resource Graph and ARM nest the fields in `properties`; the SDK flattens them (its `id` is then the
  // ARM id and the vulnerability id is `idPropertiesId`).
  const isNested = isObj(raw.properties);
  const p: Obj = isNested ? (raw.properties as Obj) : raw;
  const statusObj = isObj(p.status) ? p.status : {};
  const status = STATUS[String(statusObj.code ?? "").toLowerCase()];
  if (!status) return reject(`unknown status code ${JSON.stringify(statusObj.code ?? null)}`, rawId);
  const severity = SEVERITY[String(statusObj.severity ?? "").toLowerCase()] ?? "Medium";
  const vulnerabilityId = (isNested ? str(p.id) : str(raw.idPropertiesId)) ?? str(raw.name) ?? armId.slice(armId.lastIndexOf("/") + 1);
  const data: Obj = isObj(p.additionalData) ? p.additionalData : {};
  const assessedResourceType = str(data.assessedResourceType);
  const kind = kindOf(assessedResourceType);
  const cveLinks = cveRefsOf(data, vulnerabilityId);
  const cvss = cvssOf(data);
  const value = {
    armId,
    parentArmId: parent[1]!,
    vulnerabilityId: vulnerabilityId.slice(0, 200),
    displayName: (str(p.displayName) ?? vulnerabilityId).slice(0, 500),
    severity,
    status,
    kind,
    cves: cveLinks.map((c) => c.id),
    cvssScore: cvss?.score ?? null,
    cvssVersion: cvss?.version ?? null,
    patchable: typeof data.patchable === "boolean" ? data.patchable : null,
    publishedAt: date(data.publishedTime),
    remediation: str(p.remediation)?.slice(0, 4000) ?? null,
    category: str(p.category)?.slice(0, 200) ?? null,
    description: str(p.description)?.slice(0, 4000) ?? null,
    timeGenerated: date(p.timeGenerated),
    details: detailsOf(kind, data, cveLinks, assessedResourceType),
  };
  const { timeGenerated: _t, ...compared } = value;
  const hash = createHash("md5").update(JSON.stringify(compared)).digest("hex");
  return { ok: true, value: { ...value, hash } };
}
