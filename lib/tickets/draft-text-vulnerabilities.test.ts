import { describe, expect, test } from "vitest";
import { DEFAULT_SEVERITY_MAPPING } from "@/lib/schemas/connections";
import { type DraftFinding, type DraftVulnerabilities, defaultFields, vulnerabilityLines } from "./draft-text";

const vulnerabilities: DraftVulnerabilities = {
  total: 7,
  bySeverity: { High: 2, Medium: 5, Low: 0 },
  top: [
    {
      vulnerabilityId: "CVE-2024-3094",
      displayName: "XZ Utils backdoor in liblzma",
      severity: "High",
      cvssScore: 10,
      cves: ["CVE-2024-3094"],
    },
    {
      vulnerabilityId: "VA2064",
      displayName: "Database-level firewall rules should be tracked",
      severity: "High",
      cvssScore: null,
      cves: [],
    },
  ],
  url: "https://posturedesk.example.com/findings/f1",
};

function finding(v: DraftVulnerabilities | null): DraftFinding {
  return {
    id: "f1",
    resourceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1",
    resourceName: "vm1",
    resourceType: "Microsoft.Compute/virtualMachines",
    resourceGroup: "rg",
    subscriptionId: "s",
    severity: "High",
    portalUrl: null,
    recommendation: {
      key: "k",
      displayName: "Machines should have vulnerability findings resolved",
      severity: "High",
      description: "",
      remediation: "",
    },
    vulnerabilities: v,
  };
}

describe("vulnerabilities in ticket texts", () => {
  test("counts by severity, the worst CVEs with CVSS and NIST links, checks by their id, and a link to the rest", () => {
    expect(vulnerabilityLines(vulnerabilities)).toEqual([
      "  Vulnerabilities: 7 (2 High, 5 Medium)",
      "    CVE-2024-3094 (High, CVSS 10.0): XZ Utils backdoor in liblzma",
      "      https://nvd.nist.gov/vuln/detail/CVE-2024-3094",
      "    VA2064 (High): Database-level firewall rules should be tracked",
      "    … and 5 more: https://posturedesk.example.com/findings/f1",
    ]);
  });

  test("all listed: the link still says where they are", () => {
    expect(vulnerabilityLines({ ...vulnerabilities, total: 2 }).at(-1)).toBe(
      "    All of them in PostureDesk: https://posturedesk.example.com/findings/f1",
    );
  });

  test("the description carries them under the resource; a finding without any has no such line", () => {
    const descriptionOf = (f: ReturnType<typeof finding>) =>
      defaultFields({
        type: "incident",
        findings: [f],
        mapping: DEFAULT_SEVERITY_MAPPING,
        defaults: { assignmentGroup: null, callerId: null },
        now: new Date("2026-01-01T00:00:00Z"),
      }).description;
    const withCves = descriptionOf(finding(vulnerabilities));
    expect(withCves).toContain(
      "- vm1 (Microsoft.Compute/virtualMachines)\n  Resource: /subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1\n  Subscription: s · Resource group: rg\n  Vulnerabilities: 7 (2 High, 5 Medium)",
    );
    const without = descriptionOf(finding(null));
    expect(without).not.toContain("Vulnerabilities");
  });
});
