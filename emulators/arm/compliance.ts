// Regulatory compliance (2019-01-01-preview): the standards of emulators/seed/compliance-standards.ts with
// their real control ids and titles; a control's assessments are the recommendations that feed it.
// States are derived from the current assessments, as Defender does:
//   assessment: Failed (some resource failed), Passed (evaluated resources all passed), Skipped (none evaluated);
//   control: Failed (an assessment failed), Passed (some passed, none failed), Skipped (nothing evaluated),
//            Unsupported (no automated assessment: a process control the customer attests to);
//   standard: the same over its supported controls.
import { SEED_STANDARDS } from "../seed/compliance-standards";
import { summaryRows } from "./graph-rows";
import type { ArmRuntime } from "./runtime";
import { worldIndex } from "./runtime";

type Counts = { passed: number; failed: number; skipped: number };
const stateOf = (n: Counts, isSupported = true) =>
  !isSupported ? "Unsupported" : n.failed > 0 ? "Failed" : n.passed > 0 ? "Passed" : "Skipped";

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
  const byName = new Map(rt.ctx.world.recommendations.map((r) => [r.displayName.toLowerCase(), r]));
  const index = worldIndex(rt.ctx.world);
  return SEED_STANDARDS.map((standard) => {
    const controls = standard.controls.map((control) => {
      // Recommendations this seed size does not have are not listed (the control may end up Skipped).
      const assessments = control.recommendations
        .map((displayName) => byName.get(displayName.toLowerCase()))
        .filter((r) => r !== undefined)
        .map((r) => {
          const n = counts.get(r.key) ?? { passed: 0, failed: 0, skipped: 0 };
          return { name: r.key, description: index.recommendations.get(r.key)?.displayName ?? r.key, state: stateOf(n), ...n };
        });
      const tally = { passed: 0, failed: 0, skipped: 0 };
      for (const a of assessments) tally[a.state === "Passed" ? "passed" : a.state === "Failed" ? "failed" : "skipped"]++;
      return {
        name: control.name,
        description: control.description,
        state: stateOf(tally, control.recommendations.length > 0),
        assessments,
      };
    });
    const tally = { passed: 0, failed: 0, skipped: 0 };
    for (const control of controls)
      if (control.state !== "Unsupported")
        tally[control.state === "Passed" ? "passed" : control.state === "Failed" ? "failed" : "skipped"]++;
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
  return summaryRows(rt.ctx.world.tenantId, subscriptionIds, function* (subscriptionId) {
    for (const s of complianceOf(rt, subscriptionId)) {
      yield complianceStandardBody(subscriptionId, s);
      for (const control of s.controls) {
        yield complianceControlBody(subscriptionId, s, control);
        for (const a of control.assessments) yield complianceAssessmentBody(subscriptionId, s, control, a);
      }
    }
  });
}
