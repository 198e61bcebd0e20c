// The prefilled ticket: short description, description (recommendation, remediation steps, affected
// resources with portal links), impact/urgency from the highest severity, due date from the severity's
// remediation timeframe. Pure functions: the form preview and the created ticket use the same text.
import { type TSeverityMapping } from "@/lib/schemas/connections";
import { type TCreateTicketType, type TTicketFields, type TTicketOverrides } from "@/lib/schemas/tickets";

/** A finding's vulnerability sub-findings (CVEs, failed checks): how many, the worst few, and the page with all of them. */
export type DraftVulnerabilities = {
  total: number;
  bySeverity: Record<"High" | "Medium" | "Low", number>;
  top: { vulnerabilityId: string; displayName: string; severity: "High" | "Medium" | "Low"; cvssScore: number | null; cves: string[] }[];
  url: string;
};

/** An AWS or GCP resource's own identity (findings of resources behind a Defender security connector). */
export type DraftCloud = { source: string; accountId: string | null; region: string | null; nativeResourceId: string | null };

export type DraftFinding = {
  id: string;
  resourceId: string;
  resourceName: string;
  resourceType: string;
  resourceGroup: string | null;
  subscriptionId: string;
  severity: "High" | "Medium" | "Low";
  portalUrl: string | null;
  recommendation: { key: string; displayName: string; severity: "High" | "Medium" | "Low"; description: string; remediation: string };
  /** Findings of vulnerability recommendations: their CVEs (absent or null when there are none). */
  vulnerabilities?: DraftVulnerabilities | null;
  /** AWS or GCP resources: account/project, region and native id (absent or null for Azure resources). */
  cloud?: DraftCloud | null;
};

export type DraftDefaults = { assignmentGroup: string | null; callerId: string | null };

const SEVERITY_RANK = { High: 3, Medium: 2, Low: 1 } as const;
const MAX_LISTED = 50;
const DAY_MS = 86_400_000;

/** ServiceNow's default priority lookup: impact 1–3 × urgency 1–3 → priority 1–5. */
export function priorityOf(impact: number, urgency: number): number {
  return Math.min(5, Math.max(1, impact + urgency - 1));
}

export function highestSeverity(findings: DraftFinding[]): "High" | "Medium" | "Low" {
  return findings.reduce<"High" | "Medium" | "Low">(
    (best, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[best] ? f.severity : best),
    "Low",
  );
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** Defender's texts may carry simple HTML; ServiceNow's description field is plain text. */
export function plainText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|li|div)>/gi, "\n")
    .replace(/<li[^>]*>/gi, "- ")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

export function shortDescriptionOf(findings: DraftFinding[]): string {
  const recs = new Map(findings.map((f) => [f.recommendation.key, f.recommendation]));
  if (recs.size === 1) {
    const rec = [...recs.values()][0]!;
    const what = findings.length === 1 ? findings[0]!.resourceName : `${findings.length} resources`;
    return truncate(`Defender for Cloud: ${rec.displayName} – ${what}`, 160);
  }
  return truncate(`Defender for Cloud: ${findings.length} findings across ${recs.size} recommendations`, 160);
}

function resourceLines(findings: DraftFinding[]): string[] {
  const lines: string[] = [];
  for (const f of findings.slice(0, MAX_LISTED)) {
    lines.push(`- ${f.resourceName} (${f.resourceType})`);
    if (f.cloud) lines.push(...cloudLines(f.cloud));
    lines.push(`  ${f.cloud ? "Defender resource" : "Resource"}: ${f.resourceId}`);
    lines.push(`  Subscription: ${f.subscriptionId}${f.resourceGroup ? ` · Resource group: ${f.resourceGroup}` : ""}`);
    if (f.portalUrl) lines.push(`  Defender for Cloud: ${f.portalUrl}`);
    if (f.vulnerabilities) lines.push(...vulnerabilityLines(f.vulnerabilities));
  }
  if (findings.length > MAX_LISTED) lines.push(`- … and ${findings.length - MAX_LISTED} more (see PostureDesk)`);
  return lines;
}

/** "AWS account 123456789012 · Region us-east-1" and the ARN (GCP: project, location, full resource name). */
export function cloudLines(c: DraftCloud): string[] {
  const isGcp = c.source.toLowerCase() === "gcp";
  const where = [
    c.accountId ? `${isGcp ? "GCP project" : "AWS account"} ${c.accountId}` : isGcp ? "GCP" : "AWS",
    ...(c.region ? [`${isGcp ? "Location" : "Region"} ${c.region}`] : []),
  ];
  const lines = [`  ${where.join(" · ")}`];
  if (c.nativeResourceId) lines.push(`  ${isGcp ? "Resource name" : "ARN"}: ${c.nativeResourceId}`);
  return lines;
}

/** "Vulnerabilities: 12 (3 High, 7 Medium, 2 Low)", the worst few with their CVE links, and a link to all of them. */
export function vulnerabilityLines(v: DraftVulnerabilities): string[] {
  const counts = (["High", "Medium", "Low"] as const).filter((s) => v.bySeverity[s] > 0).map((s) => `${v.bySeverity[s]} ${s}`);
  const lines = [`  Vulnerabilities: ${v.total}${counts.length ? ` (${counts.join(", ")})` : ""}`];
  for (const item of v.top) {
    const score = item.cvssScore === null ? "" : `, CVSS ${item.cvssScore.toFixed(1)}`;
    const ids = item.cves.length > 0 ? item.cves.join(", ") : item.vulnerabilityId;
    lines.push(`    ${ids} (${item.severity}${score}): ${truncate(item.displayName, 120)}`);
    for (const cve of item.cves.slice(0, 3)) lines.push(`      https://nvd.nist.gov/vuln/detail/${cve}`);
  }
  lines.push(v.total > v.top.length ? `    … and ${v.total - v.top.length} more: ${v.url}` : `    All of them in PostureDesk: ${v.url}`);
  return lines;
}

export function descriptionOf(findings: DraftFinding[], dueDate: Date): string {
  const byRec = new Map<string, DraftFinding[]>();
  for (const f of findings) byRec.set(f.recommendation.key, [...(byRec.get(f.recommendation.key) ?? []), f]);
  const parts: string[] = [
    byRec.size === 1
      ? "Microsoft Defender for Cloud reports this recommendation as unhealthy on the resources below."
      : `Microsoft Defender for Cloud reports ${byRec.size} recommendations as unhealthy on the resources below.`,
  ];
  for (const group of byRec.values()) {
    const rec = group[0]!.recommendation;
    parts.push(
      [
        `Recommendation: ${rec.displayName}`,
        `Severity: ${rec.severity}`,
        ...(rec.description ? ["", plainText(rec.description)] : []),
        ...(rec.remediation ? ["", "Remediation steps:", plainText(rec.remediation)] : []),
        "",
        `Affected resources (${group.length}):`,
        ...resourceLines(group),
      ].join("\n"),
    );
  }
  parts.push(
    `Remediate by ${dueDate.toISOString().slice(0, 10)}.\nCreated by PostureDesk; this ticket is resolved automatically when Defender reports the resources healthy.`,
  );
  return parts.join("\n\n");
}

/** The prefilled fields for the findings one ticket covers. */
export function defaultFields(input: {
  type: TCreateTicketType;
  findings: DraftFinding[];
  mapping: TSeverityMapping;
  defaults: DraftDefaults;
  now: Date;
}): TTicketFields {
  const rule = input.mapping[highestSeverity(input.findings)];
  const due = new Date(input.now.getTime() + rule.remediationDays * DAY_MS);
  return {
    shortDescription: shortDescriptionOf(input.findings),
    description: descriptionOf(input.findings, due),
    impact: rule.impact,
    urgency: rule.urgency,
    priority: priorityOf(rule.impact, rule.urgency),
    assignmentGroup: input.defaults.assignmentGroup,
    assignedTo: null,
    callerId: input.type === "incident" ? input.defaults.callerId : null,
    dueDate: due.toISOString(),
    remediationDays: rule.remediationDays,
    gracePeriod: false,
    changeType: input.type === "change_request" ? "normal" : null,
  };
}

/** A date-only due date means the start of that day (UTC), like ServiceNow's date pickers. */
export function parseDueDate(value: string): Date {
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
}

/** Prefilled fields with the analyst's overrides applied (texts recomputed when the due date moves). */
export function withOverrides(
  fields: TTicketFields,
  overrides: TTicketOverrides,
  context: { findings: DraftFinding[]; now: Date },
): TTicketFields {
  const dueDate = overrides.dueDate
    ? parseDueDate(overrides.dueDate)
    : overrides.remediationDays
      ? new Date(context.now.getTime() + overrides.remediationDays * DAY_MS)
      : new Date(fields.dueDate);
  const remediationDays = overrides.remediationDays ?? Math.max(1, Math.round((dueDate.getTime() - context.now.getTime()) / DAY_MS));
  const impact = overrides.impact ?? fields.impact;
  const urgency = overrides.urgency ?? fields.urgency;
  const isDueMoved = dueDate.getTime() !== new Date(fields.dueDate).getTime();
  return {
    shortDescription: overrides.shortDescription ?? fields.shortDescription,
    description: overrides.description ?? (isDueMoved ? descriptionOf(context.findings, dueDate) : fields.description),
    impact,
    urgency,
    priority: priorityOf(impact, urgency),
    assignmentGroup: overrides.assignmentGroup ?? fields.assignmentGroup,
    assignedTo: overrides.assignedTo ?? fields.assignedTo,
    callerId: overrides.callerId ?? fields.callerId,
    dueDate: dueDate.toISOString(),
    remediationDays,
    gracePeriod: overrides.gracePeriod ?? fields.gracePeriod,
    changeType: overrides.changeType ?? fields.changeType,
  };
}
