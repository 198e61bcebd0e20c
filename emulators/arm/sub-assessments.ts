// Sub-assessments (2019-01-01-preview): the individual findings behind the "… should have vulnerability
// findings resolved" recommendations — CVEs on machines and container images, failed checks on SQL
// databases. Derived deterministically from the assessment id; unhealthy assessments have 1–6 findings.
// Scans over the emulated clock: every SCAN_PERIOD_MS a quarter of the assessments (chosen by hash) carry
// one extra CVE (or check) for that scan, which is gone at the next one. timeGenerated is the time of the
// last scan whose result differed from the scan before, so an incremental reader (`timeGenerated >= …`)
// picks up exactly the assessments whose vulnerabilities changed, and a full reader sees the vanished ones
// gone. Served through ARM (routes-assessments.ts) and Resource Graph (`securityresources`).
import { createHash } from "node:crypto";
import { stableUuid } from "../common/rng";
import { RT } from "../seed/resource-types";
import type { Assessment, Resource } from "../seed/types";

type Cve = { id: string; title: string; severity: "High" | "Medium" | "Low"; cvss: number; category: string; pkg: string };

const CVES: Cve[] = [
  {
    id: "CVE-2024-3094",
    title: "XZ Utils backdoor in liblzma",
    severity: "High",
    cvss: 10,
    category: "Backdoors and trojan horses",
    pkg: "xz-utils",
  },
  {
    id: "CVE-2023-4863",
    title: "Heap buffer overflow in libwebp",
    severity: "High",
    cvss: 8.8,
    category: "Memory corruption",
    pkg: "libwebp",
  },
  {
    id: "CVE-2023-44487",
    title: "HTTP/2 Rapid Reset denial of service",
    severity: "High",
    cvss: 7.5,
    category: "Denial of service",
    pkg: "nghttp2",
  },
  {
    id: "CVE-2024-6387",
    title: "OpenSSH regreSSHion remote code execution",
    severity: "High",
    cvss: 8.1,
    category: "Remote code execution",
    pkg: "openssh-server",
  },
  {
    id: "CVE-2022-3602",
    title: "OpenSSL X.509 email address buffer overflow",
    severity: "High",
    cvss: 7.5,
    category: "Memory corruption",
    pkg: "openssl",
  },
  {
    id: "CVE-2023-38545",
    title: "curl SOCKS5 heap buffer overflow",
    severity: "High",
    cvss: 9.8,
    category: "Memory corruption",
    pkg: "curl",
  },
  {
    id: "CVE-2023-4911",
    title: "glibc ld.so Looney Tunables privilege escalation",
    severity: "High",
    cvss: 7.8,
    category: "Privilege escalation",
    pkg: "glibc",
  },
  {
    id: "CVE-2024-21413",
    title: "Microsoft Outlook remote code execution",
    severity: "High",
    cvss: 9.8,
    category: "Remote code execution",
    pkg: "Microsoft Office",
  },
  {
    id: "CVE-2023-36884",
    title: "Windows Search remote code execution",
    severity: "High",
    cvss: 8.8,
    category: "Remote code execution",
    pkg: "Windows",
  },
  {
    id: "CVE-2023-5678",
    title: "OpenSSL excessive time in DH key generation",
    severity: "Medium",
    cvss: 5.3,
    category: "Denial of service",
    pkg: "openssl",
  },
  {
    id: "CVE-2023-29491",
    title: "ncurses memory corruption via terminfo",
    severity: "Medium",
    cvss: 7.8,
    category: "Memory corruption",
    pkg: "ncurses",
  },
  {
    id: "CVE-2022-40897",
    title: "setuptools regular expression denial of service",
    severity: "Medium",
    cvss: 5.9,
    category: "Denial of service",
    pkg: "setuptools",
  },
  {
    id: "CVE-2023-39325",
    title: "Go net/http HTTP/2 resource exhaustion",
    severity: "Medium",
    cvss: 7.5,
    category: "Denial of service",
    pkg: "golang",
  },
  {
    id: "CVE-2023-2650",
    title: "OpenSSL slow ASN.1 object identifier processing",
    severity: "Medium",
    cvss: 6.5,
    category: "Denial of service",
    pkg: "openssl",
  },
  {
    id: "CVE-2022-37434",
    title: "zlib inflate heap-based buffer over-read",
    severity: "Low",
    cvss: 3.7,
    category: "Information disclosure",
    pkg: "zlib",
  },
  {
    id: "CVE-2023-28322",
    title: "curl more POST-after-PUT confusion",
    severity: "Low",
    cvss: 3.7,
    category: "Information disclosure",
    pkg: "curl",
  },
];

const SQL_CHECKS = [
  {
    id: "VA2064",
    title: "Database-level firewall rules should be tracked and maintained at a strict minimum",
    severity: "High",
    category: "SurfaceAreaReduction",
  },
  { id: "VA1258", title: "Database owners are as expected", severity: "High", category: "AuthenticationAndAuthorization" },
  { id: "VA2130", title: "Track all users with access to the database", severity: "Low", category: "AuthenticationAndAuthorization" },
  { id: "VA1219", title: "Transparent data encryption should be enabled", severity: "Medium", category: "DataProtection" },
  {
    id: "VA1143",
    title: "'dbo' user should not be used for normal service operation",
    severity: "Medium",
    category: "AuthenticationAndAuthorization",
  },
  {
    id: "VA2108",
    title: "Minimal set of principals should be members of fixed high impact database roles",
    severity: "High",
    category: "AuthenticationAndAuthorization",
  },
] as const;

const VULNERABILITY_TITLES = new Set([
  "Machines should have vulnerability findings resolved",
  "SQL databases should have vulnerability findings resolved",
  "Container registry images should have vulnerability findings resolved",
  "Running container images should have vulnerability findings resolved",
]);

export function hasSubAssessments(displayName: string | undefined): boolean {
  return displayName !== undefined && VULNERABILITY_TITLES.has(displayName);
}

function hashInts(seed: string, count: number): number[] {
  const hex = createHash("sha256").update(seed).digest("hex");
  return Array.from({ length: count }, (_, i) => parseInt(hex.slice(i * 4, i * 4 + 4), 16));
}

/** One emulated vulnerability scan per day. */
export const SCAN_PERIOD_MS = 24 * 3_600_000;
/** How far back a scan that changed the result is looked for before falling back to the assessment's dates. */
const LOOKBACK_SCANS = 30;

export function scanEpochOf(nowMs: number): number {
  return Math.floor(nowMs / SCAN_PERIOD_MS);
}

/** The extra finding index (into the kind's list) of one scan, or null when the scan found nothing extra. */
function extraOf(a: Assessment, epoch: number, listLength: number): number | null {
  const [roll, pick] = hashInts(`${a.id}|scan|${epoch}`, 2);
  return roll! % 4 === 0 ? pick! % listLength : null;
}

/** When the result last changed: the last scan (up to LOOKBACK_SCANS back) whose extra differs from its predecessor's. */
function lastChangeOf(a: Assessment, epoch: number, listLength: number): string {
  const since = Math.max(Date.parse(a.statusChangeDate) || 0, Date.parse(a.firstEvaluationDate) || 0);
  for (let e = epoch; e > epoch - LOOKBACK_SCANS; e--) {
    if (e * SCAN_PERIOD_MS <= since) break;
    if (extraOf(a, e, listLength) !== extraOf(a, e - 1, listLength)) return new Date(e * SCAN_PERIOD_MS).toISOString();
  }
  return new Date(since || (epoch - LOOKBACK_SCANS) * SCAN_PERIOD_MS).toISOString();
}

/**
 * The sub-assessments of one assessment at emulated time `nowMs` (empty unless it is a vulnerability
 * recommendation and Unhealthy).
 */
export function subAssessmentsOf(
  a: Assessment,
  displayName: string | undefined,
  resource: Resource | undefined,
  nowMs: number,
): Record<string, unknown>[] {
  if (!hasSubAssessments(displayName) || a.status !== "Unhealthy") return [];
  const [countSeed, ...picks] = hashInts(a.id, 8);
  const count = 1 + (countSeed! % 6);
  const isSql = resource?.type === RT.sqlDb;
  const isContainer = resource?.type === RT.acr || resource?.type === RT.aks;
  const list = isSql ? SQL_CHECKS.length : CVES.length;
  const epoch = scanEpochOf(nowMs);
  const timeGenerated = lastChangeOf(a, epoch, list);
  const indexes: number[] = [];
  const used = new Set<number>();
  for (let i = 0; i < count; i++) {
    let index = picks[i]! % list;
    while (used.has(index)) index = (index + 1) % list;
    used.add(index);
    indexes.push(index);
  }
  const extra = extraOf(a, epoch, list);
  if (extra !== null && !used.has(extra)) indexes.push(extra);
  const out: Record<string, unknown>[] = [];
  for (const index of indexes) {
    const name = stableUuid("sub-assessment", a.id, index);
    const base = {
      id: `${a.id}/subAssessments/${name}`,
      name,
      type: "Microsoft.Security/assessments/subAssessments",
    };
    if (isSql) {
      const check = SQL_CHECKS[index]!;
      out.push({
        ...base,
        properties: {
          id: check.id,
          displayName: check.title,
          status: { code: "Unhealthy", severity: check.severity, cause: "", description: "The resource is unhealthy" },
          remediation:
            "Review the check's results and apply the remediation script shown in the portal, or approve the results as baseline.",
          impact: "A misconfiguration reported by this check weakens the database's security posture.",
          category: check.category,
          description: `SQL vulnerability assessment check ${check.id}: ${check.title}.`,
          timeGenerated,
          resourceDetails: { source: "Azure", id: a.resourceId },
          additionalData: {
            assessedResourceType: "SqlServerVulnerability",
            type: "AzureDatabase",
            query: "SELECT name FROM sys.database_principals",
            benchmarks: [],
          },
        },
      });
      continue;
    }
    const cve = CVES[index]!;
    const vulnerability = {
      type: "Vulnerability",
      cvss: { "2.0": { base: cve.cvss }, "3.0": { base: cve.cvss } },
      patchable: true,
      cve: [{ title: cve.id, link: `https://nvd.nist.gov/vuln/detail/${cve.id}` }],
      publishedTime: "2023-10-01T00:00:00.0000000Z",
      vendorReferences: [{ title: `${cve.pkg} security advisory`, link: `https://nvd.nist.gov/vuln/detail/${cve.id}` }],
    };
    out.push({
      ...base,
      properties: {
        displayName: cve.title,
        id: cve.id,
        status: { code: "Unhealthy", cause: "", severity: cve.severity, description: "The resource is unhealthy" },
        resourceDetails: { source: "Azure", id: a.resourceId },
        remediation: `Upgrade ${cve.pkg} to a version that fixes ${cve.id}, then rescan.`,
        impact: cve.severity === "High" ? "3" : cve.severity === "Medium" ? "2" : "1",
        category: cve.category,
        description: `${cve.title} (${cve.id}) affects the installed ${cve.pkg} package.`,
        timeGenerated,
        additionalData: isContainer
          ? {
              assessedResourceType: "ContainerRegistryVulnerability",
              imageName: `${resource?.name ?? "app"}/${cve.pkg}`,
              imageDigest: `sha256:${createHash("sha256").update(a.id).digest("hex")}`,
              repositoryName: resource?.name ?? "app",
              ...vulnerability,
              threat: "",
              remediationLink: `https://nvd.nist.gov/vuln/detail/${cve.id}`,
            }
          : {
              assessedResourceType: "ServerVulnerabilityAssessment",
              ...vulnerability,
              threat: "",
              remediationLink: `https://nvd.nist.gov/vuln/detail/${cve.id}`,
            },
      },
    });
  }
  return out;
}
