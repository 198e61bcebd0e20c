import "server-only";

// The findings a ticket request names, with what the ticket text needs, and the checks that a ticket
// may cover them: they exist, are Unhealthy and still reported by Defender.
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { topSubAssessmentsOf } from "@/lib/findings/sub-assessments";
import { AppError } from "@/lib/http/errors";
import { type DraftCloud, type DraftVulnerabilities } from "./draft-text";

export async function loadFindings(ids: string[]) {
  const rows = await db().finding.findMany({
    where: { id: { in: ids } },
    include: { recommendation: { select: { key: true, displayName: true, severity: true, description: true, remediation: true } } },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length) {
    throw new AppError("VALIDATION", {
      message: `${missing.length === 1 ? "A finding does" : `${missing.length} findings do`} not exist: ${missing.slice(0, 5).join(", ")}`,
      details: { errors: [{ path: "body.findingIds", message: `unknown finding ids: ${missing.slice(0, 20).join(", ")}` }] },
    });
  }
  // Vulnerability sub-findings (CVEs) for the ticket text: the worst few of each finding and where the rest are.
  const top = await topSubAssessmentsOf(ids, VULNERABILITIES_LISTED);
  const clouds = await cloudResourcesOf(rows);
  const appUrl = env().APP_URL.replace(/\/+$/, "");
  // Keep the caller's order: it decides the order of per-finding tickets in the answer.
  return ids.map((id) => {
    const t = top.get(id);
    const vulnerabilities: DraftVulnerabilities | null = t ? { ...t, url: `${appUrl}/findings/${id}` } : null;
    const f = byId.get(id)!;
    const c = clouds.get(`${f.azureTenantId}|${f.resourceId.toLowerCase()}`);
    const cloud: DraftCloud | null = c
      ? { source: c.source, accountId: c.accountId, region: c.region, nativeResourceId: c.nativeResourceId }
      : null;
    return { ...f, vulnerabilities, cloud };
  });
}

/** AWS and GCP resources' own identity (account, region, ARN) for the findings of such resources. */
async function cloudResourcesOf(rows: Array<{ azureTenantId: string; resourceId: string; resourceSource: string }>) {
  const multicloud = rows.filter(
    (r) => r.resourceSource !== "Azure" && r.resourceSource !== "OnPremise" && r.resourceSource !== "OnPremiseSql",
  );
  if (multicloud.length === 0) return new Map<string, never>();
  const found = await db().cloudResource.findMany({
    where: { OR: multicloud.map((r) => ({ azureTenantId: r.azureTenantId, resourceId: r.resourceId.toLowerCase() })) },
  });
  return new Map(found.map((c) => [`${c.azureTenantId}|${c.resourceId}`, c]));
}

/** Vulnerabilities named per finding in a ticket's description (the rest behind a link). */
const VULNERABILITIES_LISTED = 5;

export type TicketFinding = Awaited<ReturnType<typeof loadFindings>>[number];

/** Why a finding cannot be ticketed, or null when it can. */
export function unticketableReason(f: Pick<TicketFinding, "status" | "removedAt">): string | null {
  if (f.removedAt) return "Defender no longer reports this finding";
  if (f.status === "Healthy") return "already remediated (Healthy)";
  if (f.status === "NotApplicable") return "not applicable";
  return null;
}

export function assertTicketable(findings: TicketFinding[]): void {
  const refused = findings.map((f) => ({ f, reason: unticketableReason(f) })).filter((x) => x.reason !== null);
  if (refused.length === 0) return;
  throw new AppError("VALIDATION", {
    message: `Tickets can only be created for unhealthy findings: ${refused
      .slice(0, 3)
      .map((x) => `${x.f.resourceName} (${x.reason})`)
      .join("; ")}${refused.length > 3 ? ` and ${refused.length - 3} more` : ""}`,
    details: { errors: refused.map((x) => ({ path: "body.findingIds", message: `${x.f.id}: ${x.reason}` })) },
  });
}
