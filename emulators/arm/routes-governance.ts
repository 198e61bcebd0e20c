// Governance assignments and rules (2022-01-01-preview; not in @azure/arm-security 5, clients call raw).
//   {resourceId}/providers/Microsoft.Security/assessments/{name}/governanceAssignments[/{key}]  GET, PUT, DELETE
//   {subscription scope}/providers/Microsoft.Security/assessments/{name}/governanceAssignments  GET (list)
//   /subscriptions/{id}/providers/Microsoft.Security/governanceRules[/{ruleId}]                GET, PUT, DELETE
//   …/governanceRules/{ruleId}/execute (POST → 202 + Location), …/operationResults/{id} (GET)
import { randomUUID } from "node:crypto";
import { type EmulatorRequest, type Router, sendEmpty } from "../common/http";
import { armError, notFound } from "./errors";
import { parseArmBody, timeframeMs, ZExecuteBody, ZGovernanceAssignmentBody, ZGovernanceRuleBody } from "./governance-schemas";
import { resourceTagsOf } from "./resource-tags";
import { assessmentsInScope } from "./routes-assessments";
import { armJson, type ArmRuntime, guard, sendPage, subscriptionOfScope, worldIndex } from "./runtime";
import type { GovernanceAssignment, GovernanceRule } from "./state";

export const GOVERNANCE_API_VERSIONS = ["2022-01-01-preview"] as const;

function assignmentBody(a: GovernanceAssignment) {
  return { id: a.id, name: a.key, type: "Microsoft.Security/assessments/governanceAssignments", properties: a.properties };
}

function ruleBody(r: GovernanceRule) {
  return { id: r.id, name: r.name, type: "Microsoft.Security/governanceRules", properties: r.properties };
}

export function registerGovernanceRoutes(router: Router, rt: ArmRuntime): void {
  const assignments = "/*scope/providers/Microsoft.Security/assessments/:assessmentName/governanceAssignments";
  const assignmentGuard = (req: EmulatorRequest, scope: string, isWrite = false) =>
    guard(rt, req, {
      apiVersions: GOVERNANCE_API_VERSIONS,
      subscriptionId: subscriptionOfScope(scope),
      action: `Microsoft.Security/assessments/governanceAssignments/${isWrite ? "write" : "read"}`,
      isWrite,
    });

  router.get(assignments, async (req, res) => {
    const { scope, assessmentName } = req.params as { scope: string; assessmentName: string };
    const g = await assignmentGuard(req, scope);
    const prefix = `/${scope}`.toLowerCase();
    const items = [...rt.state().assignments.values()].filter((a) => {
      const rid = a.resourceId.toLowerCase();
      return a.assessmentName.toLowerCase() === assessmentName.toLowerCase() && (rid === prefix || rid.startsWith(`${prefix}/`));
    });
    await sendPage(rt, req, res, g, items, assignmentBody);
  });

  router.get(`${assignments}/:key`, async (req, res) => {
    const { scope, assessmentName, key } = req.params as Record<string, string>;
    const g = await assignmentGuard(req, scope!);
    const id = `/${scope}/providers/Microsoft.Security/assessments/${assessmentName}/governanceAssignments/${key}`;
    const found = rt.state().assignments.get(id.toLowerCase());
    if (!found) throw notFound(id);
    armJson(res, 200, assignmentBody(found), g);
  });

  router.put(`${assignments}/:key`, async (req, res) => {
    const { scope, assessmentName, key } = req.params as Record<string, string>;
    const g = await assignmentGuard(req, scope!, true);
    const body = parseArmBody(ZGovernanceAssignmentBody, req.body, "governance assignment");
    const assessmentId = `/${scope}/providers/Microsoft.Security/assessments/${assessmentName}`;
    if (!rt.state().byId.has(assessmentId.toLowerCase())) {
      throw armError(404, "ResourceNotFound", `The assessment '${assessmentName}' was not found on resource '/${scope}'.`);
    }
    const id = `${assessmentId}/governanceAssignments/${key}`;
    const existed = rt.state().assignments.has(id.toLowerCase());
    const assignment: GovernanceAssignment = {
      id,
      resourceId: `/${scope}`,
      assessmentName: assessmentName!,
      key: key!,
      properties: body.properties,
    };
    rt.state().assignments.set(id.toLowerCase(), assignment);
    rt.bump();
    armJson(res, existed ? 200 : 201, assignmentBody(assignment), g);
  });

  router.delete(`${assignments}/:key`, async (req, res) => {
    const { scope, assessmentName, key } = req.params as Record<string, string>;
    const g = await assignmentGuard(req, scope!, true);
    const id = `/${scope}/providers/Microsoft.Security/assessments/${assessmentName}/governanceAssignments/${key}`;
    const existed = rt.state().assignments.delete(id.toLowerCase());
    rt.bump();
    sendEmpty(res, existed ? 200 : 204, g.headers);
  });

  registerRuleRoutes(router, rt);
}

function registerRuleRoutes(router: Router, rt: ArmRuntime): void {
  const rules = "/subscriptions/:subscriptionId/providers/Microsoft.Security/governanceRules";
  const ruleGuard = (req: EmulatorRequest, isWrite = false) =>
    guard(rt, req, {
      apiVersions: GOVERNANCE_API_VERSIONS,
      subscriptionId: req.params.subscriptionId!.toLowerCase(),
      action: `Microsoft.Security/governanceRules/${isWrite ? "write" : "read"}`,
      isWrite,
    });
  const ruleId = (subscriptionId: string, name: string) =>
    `/subscriptions/${subscriptionId}/providers/Microsoft.Security/governanceRules/${name}`;

  router.get(rules, async (req, res) => {
    const g = await ruleGuard(req);
    const scope = `/subscriptions/${req.params.subscriptionId!.toLowerCase()}`;
    const items = [...rt.state().rules.values()]
      .filter((r) => r.scope === scope)
      .sort((a, b) => Number(a.properties.rulePriority) - Number(b.properties.rulePriority));
    await sendPage(rt, req, res, g, items, ruleBody);
  });
  router.get(`${rules}/:ruleId`, async (req, res) => {
    const g = await ruleGuard(req);
    const id = ruleId(req.params.subscriptionId!, req.params.ruleId!);
    const rule = rt.state().rules.get(id.toLowerCase());
    if (!rule) throw notFound(id);
    armJson(res, 200, ruleBody(rule), g);
  });
  router.put(`${rules}/:ruleId`, async (req, res) => {
    const g = await ruleGuard(req, true);
    const body = parseArmBody(ZGovernanceRuleBody, req.body, "governance rule");
    const subscriptionId = req.params.subscriptionId!.toLowerCase();
    const id = ruleId(subscriptionId, req.params.ruleId!);
    const scope = `/subscriptions/${subscriptionId}`;
    const clash = [...rt.state().rules.values()].find(
      (r) => r.scope === scope && r.id.toLowerCase() !== id.toLowerCase() && r.properties.rulePriority === body.properties.rulePriority,
    );
    if (clash)
      throw armError(
        400,
        "InvalidRulePriority",
        `Rule priority ${body.properties.rulePriority} is already used by governance rule '${clash.name}' in this scope.`,
      );
    const previous = rt.state().rules.get(id.toLowerCase());
    const now = new Date(rt.ctx.clock.now()).toISOString();
    const createdBy = (previous?.properties.metadata as { createdBy?: string; createdOn?: string } | undefined) ?? {
      createdBy: g.principal,
      createdOn: now,
    };
    const { tenantId: _t, metadata: _m, ...props } = body.properties;
    const rule: GovernanceRule = {
      id,
      scope,
      name: req.params.ruleId!,
      properties: {
        tenantId: rt.ctx.world.tenantId,
        ...props,
        excludedScopes: props.excludedScopes ?? [],
        includeMemberScopes: props.includeMemberScopes ?? false,
        inheritRules: props.inheritRules ?? false,
        metadata: { createdBy: createdBy.createdBy, createdOn: createdBy.createdOn, updatedBy: g.principal, updatedOn: now },
      },
    };
    rt.state().rules.set(id.toLowerCase(), rule);
    rt.bump();
    armJson(res, previous ? 200 : 201, ruleBody(rule), g);
  });
  router.delete(`${rules}/:ruleId`, async (req, res) => {
    const g = await ruleGuard(req, true);
    const existed = rt.state().rules.delete(ruleId(req.params.subscriptionId!, req.params.ruleId!).toLowerCase());
    rt.bump();
    sendEmpty(res, existed ? 200 : 204, g.headers);
  });
  router.post(`${rules}/:ruleId/execute`, async (req, res) => {
    const g = await ruleGuard(req, true);
    const { override } = req.body === undefined ? { override: false } : parseArmBody(ZExecuteBody, req.body, "execute request");
    const id = ruleId(req.params.subscriptionId!, req.params.ruleId!);
    const rule = rt.state().rules.get(id.toLowerCase());
    if (!rule) throw notFound(id);
    executeRule(rt, rule, Boolean(override));
    const operationId = randomUUID();
    rt.state().operations.set(operationId, { status: "Succeeded", ruleId: rule.id });
    const location = `${req.origin}${id}/operationResults/${operationId}?api-version=${GOVERNANCE_API_VERSIONS[0]}`;
    sendEmpty(res, 202, { ...g.headers, location });
  });
  router.get(`${rules}/:ruleId/operationResults/:operationId`, async (req, res) => {
    const g = await ruleGuard(req);
    const op = rt.state().operations.get(req.params.operationId!);
    if (!op) throw notFound(`operationResults/${req.params.operationId}`);
    armJson(res, 200, { status: op.status }, g);
  });
}

/** Creates governance assignments for Unhealthy assessments the rule matches (existing ones kept unless override). */
function executeRule(rt: ArmRuntime, rule: GovernanceRule, override: boolean): number {
  if (rule.properties.isDisabled) return 0;
  const props = rule.properties as {
    conditionSets: Array<{ conditions: Array<{ property: string; value: string; operator: string }> }>;
    ownerSource: { type: string; value: string };
    remediationTimeframe?: string;
    isGracePeriod?: boolean;
    governanceEmailNotification?: unknown;
  };
  const index = worldIndex(rt.ctx.world);
  const matches = (key: string, severity: string | undefined) =>
    props.conditionSets.some((set) =>
      set.conditions.every((c) => {
        const actual = c.property === "$.AssessmentKey" ? key : c.property === "$.Metadata.Severity" ? severity : undefined;
        if (actual === undefined) return false;
        if (c.operator === "Equals") return actual.toLowerCase() === c.value.toLowerCase();
        try {
          return (JSON.parse(c.value) as string[]).some((v) => v.toLowerCase() === actual.toLowerCase());
        } catch {
          return false;
        }
      }),
    );
  let created = 0;
  const assigned = new Set([...rt.state().assignments.values()].map((x) => `${x.resourceId}|${x.assessmentName}`.toLowerCase()));
  const due = new Date(rt.ctx.clock.now() + timeframeMs(props.remediationTimeframe)).toISOString();
  for (const a of assessmentsInScope(rt, rule.scope.slice(1))) {
    if (a.status !== "Unhealthy" || !matches(a.key, index.recommendations.get(a.key.toLowerCase())?.severity)) continue;
    const id = `${a.id}/governanceAssignments/${rule.name}`;
    if (!override && assigned.has(`${a.resourceId}|${a.key}`.toLowerCase())) continue;
    const resource = index.resources.get(a.resourceId.toLowerCase());
    const owner =
      props.ownerSource.type === "Manually"
        ? props.ownerSource.value
        : resource
          ? resourceTagsOf(rt.state(), resource)[props.ownerSource.value]
          : undefined;
    rt.state().assignments.set(id.toLowerCase(), {
      id,
      resourceId: a.resourceId,
      assessmentName: a.key,
      key: rule.name,
      properties: {
        owner,
        remediationDueDate: due,
        isGracePeriod: props.isGracePeriod ?? false,
        ...(props.governanceEmailNotification ? { governanceEmailNotification: props.governanceEmailNotification } : {}),
      },
    });
    created++;
  }
  rt.bump();
  return created;
}
