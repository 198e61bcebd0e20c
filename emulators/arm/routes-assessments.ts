// Assessments (2021-06-01), assessment metadata (2021-06-01) and sub-assessments (2019-01-01-preview).
import type { ServerResponse } from "node:http";
import type { EmulatorRequest, Router } from "../common/http";
import type { Assessment } from "../seed/types";
import { notFound } from "./errors";
import { armJson, type ArmRuntime, guard, sendPage, subscriptionOfScope, worldIndex } from "./runtime";
import { parseExpand, serializeAssessment, serializeMetadata } from "./serialize";
import { subAssessmentsOf } from "./sub-assessments";

export const ASSESSMENT_API_VERSIONS = ["2021-06-01", "2020-01-01"] as const;
export const METADATA_API_VERSIONS = ["2021-06-01", "2020-01-01", "2019-01-01-preview"] as const;
export const SUB_ASSESSMENT_API_VERSIONS = ["2019-01-01-preview"] as const;

/** Assessments under a scope (subscription, resource group or resource), in listing order. */
export function assessmentsInScope(rt: ArmRuntime, scope: string): Assessment[] {
  const subscriptionId = subscriptionOfScope(scope);
  const all = rt.state().bySubscription.get(subscriptionId) ?? [];
  const prefix = `/${scope.replace(/^\/+|\/+$/g, "")}`.toLowerCase();
  if (prefix === `/subscriptions/${subscriptionId}`) return all;
  return all.filter((a) => {
    const id = a.resourceId.toLowerCase();
    return id === prefix || id.startsWith(`${prefix}/`);
  });
}

function serializer(rt: ArmRuntime, expand = parseExpand(null)) {
  const index = worldIndex(rt.ctx.world);
  return (a: Assessment) =>
    serializeAssessment(a, index.recommendations.get(a.key.toLowerCase()), index.resources.get(a.resourceId.toLowerCase()), expand);
}

export function registerAssessmentRoutes(router: Router, rt: ArmRuntime): void {
  // The permission each family of routes checks, on the subscription of the scope in the path.
  const assessmentsRead = (req: EmulatorRequest, scope: string) =>
    guard(rt, req, {
      apiVersions: ASSESSMENT_API_VERSIONS,
      subscriptionId: subscriptionOfScope(scope),
      action: "Microsoft.Security/assessments/read",
    });
  const metadataRead = (req: EmulatorRequest, subscriptionId: string | undefined) =>
    guard(rt, req, { apiVersions: METADATA_API_VERSIONS, subscriptionId, action: "Microsoft.Security/assessmentMetadata/read" });
  const subAssessmentsRead = (req: EmulatorRequest, scope: string) =>
    guard(rt, req, {
      apiVersions: SUB_ASSESSMENT_API_VERSIONS,
      subscriptionId: subscriptionOfScope(scope),
      action: "Microsoft.Security/assessments/subAssessments/read",
    });
  router.get("/*scope/providers/Microsoft.Security/assessments", async (req, res) => {
    const scope = req.params.scope!;
    const g = await assessmentsRead(req, scope);
    await sendPage(rt, req, res, g, assessmentsInScope(rt, scope), serializer(rt, parseExpand(req.query.get("$expand"))));
  });

  router.get("/*resourceId/providers/Microsoft.Security/assessments/:name", async (req, res) => {
    const { resourceId, name } = req.params as { resourceId: string; name: string };
    const g = await assessmentsRead(req, resourceId);
    const id = `/${resourceId}/providers/Microsoft.Security/assessments/${name}`;
    const a = rt.state().byId.get(id.toLowerCase());
    if (!a) throw notFound(id);
    armJson(res, 200, serializer(rt, parseExpand(req.query.get("$expand")))(a), g);
  });

  const metadataList = async (req: EmulatorRequest, res: ServerResponse, subscriptionId?: string) => {
    const g = await metadataRead(req, subscriptionId);
    await sendPage(rt, req, res, g, rt.ctx.world.recommendations, (r) => serializeMetadata(r as never));
  };
  const metadataGet = async (req: EmulatorRequest, res: ServerResponse, subscriptionId?: string) => {
    const g = await metadataRead(req, subscriptionId);
    const rec = worldIndex(rt.ctx.world).recommendations.get(req.params.name!.toLowerCase());
    if (!rec) throw notFound(`/providers/Microsoft.Security/assessmentMetadata/${req.params.name}`);
    armJson(res, 200, serializeMetadata(rec), g);
  };
  router.get("/providers/Microsoft.Security/assessmentMetadata", (req, res) => metadataList(req, res));
  router.get("/providers/Microsoft.Security/assessmentMetadata/:name", (req, res) => metadataGet(req, res));
  router.get("/subscriptions/:subscriptionId/providers/Microsoft.Security/assessmentMetadata", (req, res) =>
    metadataList(req, res, req.params.subscriptionId!.toLowerCase()),
  );
  router.get("/subscriptions/:subscriptionId/providers/Microsoft.Security/assessmentMetadata/:name", (req, res) =>
    metadataGet(req, res, req.params.subscriptionId!.toLowerCase()),
  );

  const subsOf = (assessments: Assessment[]) => {
    const index = worldIndex(rt.ctx.world);
    const now = rt.ctx.clock.now();
    return assessments.flatMap((a) =>
      subAssessmentsOf(
        a,
        index.recommendations.get(a.key.toLowerCase())?.displayName,
        index.resources.get(a.resourceId.toLowerCase()),
        now,
      ),
    );
  };
  router.get("/*scope/providers/Microsoft.Security/subAssessments", async (req, res) => {
    const scope = req.params.scope!;
    const g = await subAssessmentsRead(req, scope);
    await sendPage(rt, req, res, g, subsOf(assessmentsInScope(rt, scope)), (s) => s);
  });
  router.get("/*scope/providers/Microsoft.Security/assessments/:assessmentName/subAssessments", async (req, res) => {
    const { scope, assessmentName } = req.params as { scope: string; assessmentName: string };
    const g = await subAssessmentsRead(req, scope);
    const matching = assessmentsInScope(rt, scope).filter((a) => a.key.toLowerCase() === assessmentName.toLowerCase());
    await sendPage(rt, req, res, g, subsOf(matching), (s) => s);
  });
  router.get("/*scope/providers/Microsoft.Security/assessments/:assessmentName/subAssessments/:subName", async (req, res) => {
    const { scope, assessmentName, subName } = req.params as { scope: string; assessmentName: string; subName: string };
    const g = await subAssessmentsRead(req, scope);
    const id = `/${scope}/providers/Microsoft.Security/assessments/${assessmentName}`;
    const a = rt.state().byId.get(id.toLowerCase());
    const sub = a ? subsOf([a]).find((s) => String(s.name).toLowerCase() === subName.toLowerCase()) : undefined;
    if (!sub) throw notFound(`${id}/subAssessments/${subName}`);
    armJson(res, 200, sub, g);
  });
}
