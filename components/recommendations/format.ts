// Display helpers shared by the workspace views (client-safe).

export function formatPercent(ratio: number | null): string {
  return ratio === null ? "—" : `${Math.round(ratio * 100)}%`;
}

/** "microsoft.compute/virtualmachines" → "virtualmachines" with its provider as a hint. */
export function shortType(type: string): { name: string; provider: string } {
  const parts = type.split("/");
  return { name: parts.at(-1) ?? type, provider: parts.slice(0, -1).join("/") };
}

/** Filters both workspace views share; switching view keeps them. */
export const SHARED_FILTERS = ["severity", "status", "subscriptionId", "resourceType", "category", "hasTicket", "overdue", "q"] as const;

/** Defender's threat identifiers (assessment metadata `threats`) in words; an unknown one is spelled out. */
const THREAT_LABELS: Record<string, string> = {
  accountbreach: "Account breach",
  dataexfiltration: "Data exfiltration",
  dataspill: "Data spill",
  denialofservice: "Denial of service",
  elevationofprivilege: "Elevation of privilege",
  maliciousinsider: "Malicious insider",
  missingcoverage: "Missing coverage",
  threatresistance: "Threat resistance",
};

export function threatLabel(threat: string): string {
  const known = THREAT_LABELS[threat.toLowerCase()];
  if (known) return known;
  const text = threat
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .toLowerCase()
    .trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}
