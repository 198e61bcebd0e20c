"use client";
import { type ReactNode } from "react";
import { ExternalIdLink } from "@/components/ui/external-link";
import { Badge, SeverityBadge } from "@/components/ui/badge";
import { SelectField, TextField } from "@/components/ui/field";
import { TD, TH } from "@/components/ui/table";
import { type Severity, type VulnerabilityFilter } from "./use-vulnerability-filter";

// Small pieces shared by the finding page and the recommendation page's vulnerabilities.

/** CVE ids as links to their page (NIST's unless Defender gave an https one), opening in a new tab. */
export function CveLinks({ cves, max = 4 }: { cves: { id: string; link: string }[]; max?: number }) {
  if (cves.length === 0) return <span className="text-muted">—</span>;
  return (
    <span className="flex flex-wrap gap-x-2 gap-y-0.5">
      {cves.slice(0, max).map((c) => (
        <ExternalIdLink key={c.id} href={c.link} id={c.id} className="text-xs" />
      ))}
      {cves.length > max ? <span className="text-xs text-muted">+{cves.length - max} more</span> : null}
    </span>
  );
}

/** "12 High · 3 Medium · 0 Low" as badges, with the total for screen readers. */
export function SeverityCounts({ counts, label }: { counts: { High: number; Medium: number; Low: number }; label: string }) {
  const total = counts.High + counts.Medium + counts.Low;
  return (
    <span
      className="inline-flex flex-wrap items-center gap-1.5"
      aria-label={`${label}: ${total} (${counts.High} high, ${counts.Medium} medium, ${counts.Low} low)`}
    >
      <Badge tone="high">{counts.High} High</Badge>
      <Badge tone="medium">{counts.Medium} Medium</Badge>
      <Badge tone="low">{counts.Low} Low</Badge>
    </span>
  );
}

export function CvssScore({ score, version }: { score: number | null; version?: string | null }) {
  if (score === null) return <span className="text-muted">—</span>;
  const tone = score >= 9 ? "danger" : score >= 7 ? "high" : score >= 4 ? "medium" : "low";
  return (
    <Badge tone={tone} title={version ? `CVSS ${version} base score` : "CVSS base score"}>
      {score.toFixed(1)}
    </Badge>
  );
}

export const KIND_LABEL = { server: "Machine", container: "Container image", sql: "SQL check", other: "Other" } as const;

/** The filter bar above a vulnerability list: a search box, a severity select, then `children`. */
export function VulnerabilityFilters({
  label,
  placeholder,
  filter: { q, setQ, severity, setSeverity },
  children,
}: {
  label: string;
  placeholder: string;
  filter: VulnerabilityFilter;
  children?: ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-end gap-3 border-b border-border px-4 py-3">
      <TextField label={label} placeholder={placeholder} value={q} onChange={(e) => setQ(e.target.value)} containerClassName="w-64" />
      <SelectField label="Severity" value={severity} onChange={(e) => setSeverity(e.target.value as Severity)} containerClassName="w-36">
        <option value="">All</option>
        <option value="High">High</option>
        <option value="Medium">Medium</option>
        <option value="Low">Low</option>
      </SelectField>
      {children}
    </div>
  );
}

/** The header cells every vulnerability table starts with. */
export function VulnerabilityHeadCells() {
  return (
    <>
      <TH>Vulnerability</TH>
      <TH>CVEs</TH>
      <TH>Severity</TH>
      <TH>CVSS</TH>
      <TH>Patchable</TH>
    </>
  );
}

/** The CVEs, severity, CVSS and patchable cells of one vulnerability (after its title cell). */
export function VulnerabilityCells({
  cves,
  severity,
  score,
  version,
  patchable,
}: {
  cves: { id: string; link: string }[];
  severity: Exclude<Severity, "">;
  score: number | null;
  version?: string | null;
  patchable: boolean | null;
}) {
  return (
    <>
      <TD>
        <CveLinks cves={cves} />
      </TD>
      <TD>
        <SeverityBadge severity={severity} />
      </TD>
      <TD>
        <CvssScore score={score} version={version} />
      </TD>
      <TD className="text-xs">{patchable === null ? "—" : patchable ? "Yes" : "No"}</TD>
    </>
  );
}
