// Secure score and regulatory compliance, computed from the current assessment statuses (so flipping an
// assessment through the control API moves the score). Cached per subscription until state changes.
import { CONTROL_DESCRIPTIONS, SECURITY_CONTROL_LIST, SECURITY_CONTROLS } from "../seed/controls";
import type { Assessment } from "../seed/types";
import { summaryRows } from "./graph-rows";
import { type ArmRuntime, worldIndex } from "./runtime";

export type ControlScore = {
  key: string;
  displayName: string;
  maxScore: number;
  healthy: number;
  unhealthy: number;
  notApplicable: number;
  current: number;
  percentage: number;
  weight: number;
};

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
const RANK = { Unhealthy: 3, Healthy: 2, NotApplicable: 1 } as const;

const cache = new WeakMap<object, Map<string, { version: number; controls: ControlScore[] }>>();

export function controlScores(rt: ArmRuntime, subscriptionId: string): ControlScore[] {
  const state = rt.state();
  let perState = cache.get(state);
  if (!perState) cache.set(state, (perState = new Map()));
  const hit = perState.get(subscriptionId);
  if (hit && hit.version === state.version) return hit.controls;

  const recs = worldIndex(rt.ctx.world).recommendations;
  // control key → resource id → worst status of that control's recommendations on the resource.
  const perControl = new Map<string, Map<string, Assessment["status"]>>();
  for (const a of state.bySubscription.get(subscriptionId) ?? []) {
    const control = recs.get(a.key.toLowerCase())?.securityControl ?? SECURITY_CONTROLS.bestPractices.key;
    let resources = perControl.get(control);
    if (!resources) perControl.set(control, (resources = new Map()));
    const previous = resources.get(a.resourceId);
    if (!previous || RANK[a.status] > RANK[previous]) resources.set(a.resourceId, a.status);
  }
  const controls = SECURITY_CONTROL_LIST.map((c) => {
    let healthy = 0;
    let unhealthy = 0;
    let notApplicable = 0;
    for (const status of perControl.get(c.key)?.values() ?? []) {
      if (status === "Healthy") healthy++;
      else if (status === "Unhealthy") unhealthy++;
      else notApplicable++;
    }
    const evaluated = healthy + unhealthy;
    const current = evaluated > 0 ? round((c.maxScore * healthy) / evaluated, 2) : 0;
    return {
      key: c.key,
      displayName: c.displayName,
      maxScore: c.maxScore,
      healthy,
      unhealthy,
      notApplicable,
      current,
      percentage: c.maxScore > 0 ? round(current / c.maxScore, 4) : 0,
      weight: evaluated,
    };
  });
  perState.set(subscriptionId, { version: state.version, controls });
  return controls;
}

export function secureScore(rt: ArmRuntime, subscriptionId: string): { max: number; current: number; percentage: number; weight: number } {
  const controls = controlScores(rt, subscriptionId).filter((c) => c.healthy + c.unhealthy > 0);
  const max = controls.reduce((sum, c) => sum + c.maxScore, 0);
  const current = round(
    controls.reduce((sum, c) => sum + c.current, 0),
    2,
  );
  return { max, current, percentage: max > 0 ? round(current / max, 4) : 0, weight: controls.reduce((sum, c) => sum + c.weight, 0) };
}

export function controlDefinition(rt: ArmRuntime, key: string): Record<string, unknown> | undefined {
  const control = SECURITY_CONTROL_LIST.find((c) => c.key === key);
  if (!control) return undefined;
  const keys = rt.ctx.world.recommendations
    .filter((r) => (r.securityControl ?? SECURITY_CONTROLS.bestPractices.key) === key)
    .map((r) => r.key);
  return {
    id: `/providers/Microsoft.Security/secureScoreControlDefinitions/${key}`,
    name: key,
    type: "Microsoft.Security/secureScoreControlDefinitions",
    properties: {
      source: { sourceType: "BuiltIn" },
      displayName: control.displayName,
      description: CONTROL_DESCRIPTIONS[control.displayName] ?? control.displayName,
      maxScore: control.maxScore,
      assessmentDefinitions: keys.map((k) => ({ id: `/providers/Microsoft.Security/assessmentMetadata/${k}` })),
    },
  };
}

const SCORE_NAME = "ascScore";

/** GET …/secureScores/ascScore (2020-01-01), also the `microsoft.security/securescores` row in Resource Graph. */
export function secureScoreBody(rt: ArmRuntime, subscriptionId: string) {
  const { max, current, percentage, weight } = secureScore(rt, subscriptionId);
  return {
    id: `/subscriptions/${subscriptionId}/providers/Microsoft.Security/secureScores/${SCORE_NAME}`,
    name: SCORE_NAME,
    type: "Microsoft.Security/secureScores",
    properties: { displayName: "ASC score", score: { max, current, percentage }, weight },
  };
}

/** One secureScoreControls item (with `definition` as $expand=definition gives it). */
export function secureScoreControlBody(rt: ArmRuntime, subscriptionId: string, c: ControlScore, withDefinition: boolean) {
  return {
    id: `/subscriptions/${subscriptionId}/providers/Microsoft.Security/secureScores/${SCORE_NAME}/secureScoreControls/${c.key}`,
    name: c.key,
    type: "Microsoft.Security/secureScores/secureScoreControls",
    properties: {
      displayName: c.displayName,
      healthyResourceCount: c.healthy,
      unhealthyResourceCount: c.unhealthy,
      notApplicableResourceCount: c.notApplicable,
      score: { max: c.maxScore, current: c.current, percentage: c.percentage },
      ...(withDefinition ? { definition: controlDefinition(rt, c.key) } : {}),
      weight: c.weight,
    },
  };
}

/**
 * Secure scores and their controls as Resource Graph `securityresources` rows (types lower-cased). Microsoft's
 * secure score article queries both types and reads `properties.definition.name` of a control row, so the
 * rows carry the definition as the REST listing with $expand=definition does.
 */
export function secureScoreRows(rt: ArmRuntime, subscriptionIds: Iterable<string>): Array<Record<string, unknown>> {
  return summaryRows(rt.ctx.world.tenantId, subscriptionIds, function* (subscriptionId) {
    yield secureScoreBody(rt, subscriptionId);
    for (const c of controlScores(rt, subscriptionId)) yield secureScoreControlBody(rt, subscriptionId, c, true);
  });
}
