// Regulatory compliance (2019-01-01-preview): a few well-known standards whose controls map onto Defender's
// security controls; a control's assessments are the recommendations of those security controls.
// States: Failed (some resource failed), Passed (all evaluated resources passed), Skipped (nothing
// evaluated), Unsupported (no automated assessment, e.g. a process control).
import { SECURITY_CONTROLS, type SecurityControlId } from "../seed/controls";
import type { ArmRuntime } from "./runtime";
import { worldIndex } from "./runtime";

type ControlDef = { name: string; description: string; maps: SecurityControlId[] };
type StandardDef = { name: string; controls: ControlDef[] };

const c = (name: string, description: string, ...maps: SecurityControlId[]): ControlDef => ({ name, description, maps });

export const STANDARDS: StandardDef[] = [
  {
    name: "Microsoft-cloud-security-benchmark",
    controls: [
      c("NS-1", "Establish network segmentation boundaries", "networkAccess"),
      c("NS-2", "Secure cloud services with network controls", "networkAccess", "managementPorts"),
      c("NS-5", "Deploy DDOS protection", "ddos"),
      c("IM-1", "Use centralized identity and authentication system", "accessAndPermissions"),
      c("IM-6", "Use strong authentication controls", "mfa"),
      c("PA-1", "Separate and limit highly privileged/administrative users", "accessAndPermissions"),
      c("DP-3", "Encrypt sensitive data in transit", "encryptionInTransit"),
      c("DP-4", "Enable data at rest encryption by default", "encryptionAtRest"),
      c("LT-1", "Enable threat detection capabilities", "advancedThreatProtection"),
      c("LT-3", "Enable logging for security investigation", "auditing"),
      c("PV-5", "Perform vulnerability assessments", "vulnerabilities"),
      c("PV-6", "Rapidly and automatically remediate vulnerabilities", "systemUpdates"),
      c("ES-2", "Use modern anti-malware software", "endpointProtection"),
      c("PV-4", "Audit and enforce secure configurations for compute resources", "securityConfigurations", "adaptiveApplicationControl"),
      c("GS-1", "Align organization roles, responsibilities and accountabilities"),
    ],
  },
  {
    name: "PCI-DSS-3.2.1",
    controls: [
      c("1.1", "Establish and implement firewall and router configuration standards", "networkAccess", "managementPorts"),
      c("2.2", "Develop configuration standards for all system components", "securityConfigurations"),
      c("3.4", "Render PAN unreadable anywhere it is stored", "encryptionAtRest"),
      c("4.1", "Use strong cryptography and security protocols to safeguard sensitive cardholder data during transmission", "encryptionInTransit"),
      c("5.1", "Deploy anti-virus software on all systems commonly affected by malicious software", "endpointProtection"),
      c("6.2", "Ensure that all system components are protected from known vulnerabilities", "systemUpdates", "vulnerabilities"),
      c("8.3", "Secure all individual non-console administrative access using multi-factor authentication", "mfa"),
      c("10.2", "Implement automated audit trails for all system components", "auditing"),
      c("12.1", "Establish, publish, maintain, and disseminate a security policy"),
    ],
  },
  {
    name: "ISO-27001",
    controls: [
      c("A.9.2.3", "Management of privileged access rights", "accessAndPermissions"),
      c("A.9.4.2", "Secure log-on procedures", "mfa"),
      c("A.10.1.1", "Policy on the use of cryptographic controls", "encryptionAtRest", "encryptionInTransit"),
      c("A.12.2.1", "Controls against malware", "endpointProtection"),
      c("A.12.4.1", "Event logging", "auditing"),
      c("A.12.6.1", "Management of technical vulnerabilities", "vulnerabilities", "systemUpdates"),
      c("A.13.1.1", "Network controls", "networkAccess"),
      c("A.5.1.1", "Policies for information security"),
    ],
  },
  {
    name: "SOC-TSP",
    controls: [
      c("CC6.1", "Logical and physical access controls", "accessAndPermissions", "mfa"),
      c("CC6.6", "Security measures against threats outside system boundaries", "networkAccess", "ddos"),
      c("CC6.7", "Restrict the transmission of data", "encryptionInTransit"),
      c("CC7.1", "Detect changes that introduce vulnerabilities", "vulnerabilities", "securityConfigurations"),
      c("CC7.2", "Monitor system components for anomalies", "auditing", "advancedThreatProtection"),
    ],
  },
];

type Counts = { passed: number; failed: number; skipped: number };
const stateOf = (n: Counts, isSupported = true) => (!isSupported ? "Unsupported" : n.failed > 0 ? "Failed" : n.passed > 0 ? "Passed" : "Skipped");

/** Per-recommendation resource counts for one subscription. */
function recommendationCounts(rt: ArmRuntime, subscriptionId: string): Map<string, Counts> {
  const out = new Map<string, Counts>();
  for (const a of rt.state().bySubscription.get(subscriptionId) ?? []) {
    let counts = out.get(a.key);
    if (!counts) out.set(a.key, (counts = { passed: 0, failed: 0, skipped: 0 }));
    if (a.status === "Healthy") counts.passed++;
    else if (a.status === "Unhealthy") counts.failed++;
    else counts.skipped++;
  }
  return out;
}

export type ComplianceAssessment = { name: string; description: string; state: string; passed: number; failed: number; skipped: number };
export type ComplianceControl = { name: string; description: string; state: string; assessments: ComplianceAssessment[] };
export type ComplianceStandard = { name: string; state: string; controls: ComplianceControl[] };

export function complianceOf(rt: ArmRuntime, subscriptionId: string): ComplianceStandard[] {
  const counts = recommendationCounts(rt, subscriptionId);
  const recs = rt.ctx.world.recommendations;
  const index = worldIndex(rt.ctx.world);
  return STANDARDS.map((standard) => {
    const controls = standard.controls.map((control) => {
      const keys = new Set(control.maps.map((m) => SECURITY_CONTROLS[m].key));
      const assessments = recs
        .filter((r) => keys.has(r.securityControl ?? ""))
        .map((r) => {
          const n = counts.get(r.key) ?? { passed: 0, failed: 0, skipped: 0 };
          return { name: r.key, description: index.recommendations.get(r.key)?.displayName ?? r.key, state: stateOf(n), ...n };
        });
      const tally = { passed: 0, failed: 0, skipped: 0 };
      for (const a of assessments) tally[a.state === "Passed" ? "passed" : a.state === "Failed" ? "failed" : "skipped"]++;
      return { name: control.name, description: control.description, state: stateOf(tally, control.maps.length > 0), assessments };
    });
    const tally = { passed: 0, failed: 0, skipped: 0 };
    for (const control of controls) if (control.state !== "Unsupported") tally[control.state === "Passed" ? "passed" : control.state === "Failed" ? "failed" : "skipped"]++;
    return { name: standard.name, state: stateOf(tally), controls };
  });
}

// The resource bodies, shared by the REST listings and Resource Graph's `securityresources` rows.
const count = (items: Array<{ state: string }>, state: string) => items.filter((i) => i.state === state).length;
type Control = ComplianceControl;

export function complianceStandardBody(subscriptionId: string, s: ComplianceStandard) {
  return {
    id: `/subscriptions/${subscriptionId}/providers/Microsoft.Security/regulatoryComplianceStandards/${s.name}`,
    name: s.name,
    type: "Microsoft.Security/regulatoryComplianceStandards",
    properties: {
      state: s.state,
      passedControls: count(s.controls, "Passed"),
      failedControls: count(s.controls, "Failed"),
      skippedControls: count(s.controls, "Skipped"),
      unsupportedControls: count(s.controls, "Unsupported"),
    },
  };
}

export function complianceControlBody(subscriptionId: string, s: ComplianceStandard, control: Control) {
  return {
    id: `${complianceStandardBody(subscriptionId, s).id}/regulatoryComplianceControls/${control.name}`,
    name: control.name,
    type: "Microsoft.Security/regulatoryComplianceStandards/regulatoryComplianceControls",
    properties: {
      standardName: s.name,
      description: control.description,
      state: control.state,
      passedAssessments: count(control.assessments, "Passed"),
      failedAssessments: count(control.assessments, "Failed"),
      skippedAssessments: count(control.assessments, "Skipped"),
      unsupportedAssessments: 0,
    },
  };
}

export function complianceAssessmentBody(subscriptionId: string, s: ComplianceStandard, control: Control, a: ComplianceAssessment) {
  return {
    id: `${complianceControlBody(subscriptionId, s, control).id}/regulatoryComplianceAssessments/${a.name}`,
    name: a.name,
    type: "Microsoft.Security/regulatoryComplianceStandards/regulatoryComplianceControls/regulatoryComplianceAssessments",
    properties: {
      controlName: control.name,
      description: a.description,
      assessmentType: "Assessment",
      assessmentDetailsLink: `https://portal.azure.com/#blade/Microsoft_Azure_Security/RecommendationsBlade/assessmentKey/${a.name}`,
      state: a.state,
      passedResources: a.passed,
      failedResources: a.failed,
      skippedResources: a.skipped,
    },
  };
}

/**
 * Regulatory compliance of the given subscriptions as Resource Graph rows (`securityresources`, types
 * lower-cased as Resource Graph spells them): standards, their controls, the controls' assessments.
 */
export function complianceRows(rt: ArmRuntime, subscriptionIds: Iterable<string>): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  const tenantId = rt.ctx.world.tenantId;
  const row = (subscriptionId: string, body: { id: string; name: string; type: string; properties: unknown }) =>
    rows.push({ id: body.id, name: body.name, type: body.type.toLowerCase(), tenantId, subscriptionId, resourceGroup: "", location: "", kind: "", properties: body.properties });
  for (const subscriptionId of subscriptionIds) {
    for (const s of complianceOf(rt, subscriptionId)) {
      row(subscriptionId, complianceStandardBody(subscriptionId, s));
      for (const control of s.controls) {
        row(subscriptionId, complianceControlBody(subscriptionId, s, control));
        for (const a of control.assessments) row(subscriptionId, complianceAssessmentBody(subscriptionId, s, control, a));
      }
    }
  }
  return rows;
}
