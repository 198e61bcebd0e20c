// Secure scores, controls and control definitions (2020-01-01); regulatory compliance standards, controls
// and assessments (2019-01-01-preview; the published examples say "2019-01-01", accepted too).
import type { ServerResponse } from "node:http";
import type { EmulatorRequest, Router } from "../common/http";
import { SECURITY_CONTROL_LIST } from "../seed/controls";
import {
  type ComplianceStandard,
  complianceAssessmentBody as assessmentBody,
  complianceControlBody as controlBody,
  complianceOf,
  complianceStandardBody as standardBody,
} from "./compliance";
import { notFound } from "./errors";
import { armJson, type ArmRuntime, guard, sendPage } from "./runtime";
import { type ControlScore, controlDefinition, controlScores, secureScoreBody, secureScoreControlBody } from "./scores";

export const SCORE_API_VERSIONS = ["2020-01-01"] as const;
export const COMPLIANCE_API_VERSIONS = ["2019-01-01-preview", "2019-01-01"] as const;
const SCORE_NAME = "ascScore";

export function registerScoreRoutes(router: Router, rt: ArmRuntime): void {
  const sub = (req: EmulatorRequest) => req.params.subscriptionId!.toLowerCase();
  const scoreBody = (subscriptionId: string) => secureScoreBody(rt, subscriptionId);
  const controlBody = (subscriptionId: string, c: ControlScore, withDefinition: boolean) =>
    secureScoreControlBody(rt, subscriptionId, c, withDefinition);
  const scoreGuard = (req: EmulatorRequest, action = "Microsoft.Security/secureScores/read") =>
    guard(rt, req, { apiVersions: SCORE_API_VERSIONS, subscriptionId: sub(req), action });
  const checkName = (name: string) => {
    if (name.toLowerCase() !== SCORE_NAME.toLowerCase()) throw notFound(`secureScores/${name}`);
  };
  const listControls = async (req: EmulatorRequest, res: ServerResponse) => {
    const g = await scoreGuard(req, "Microsoft.Security/secureScoreControls/read");
    const withDefinition = (req.query.get("$expand") ?? "").toLowerCase() === "definition";
    await sendPage(rt, req, res, g, controlScores(rt, sub(req)), (c) => controlBody(sub(req), c, withDefinition));
  };

  router.get("/subscriptions/:subscriptionId/providers/Microsoft.Security/secureScores", async (req, res) => {
    const g = await scoreGuard(req);
    await sendPage(rt, req, res, g, [sub(req)], scoreBody);
  });
  router.get("/subscriptions/:subscriptionId/providers/Microsoft.Security/secureScores/:name", async (req, res) => {
    const g = await scoreGuard(req);
    checkName(req.params.name!);
    armJson(res, 200, scoreBody(sub(req)), g);
  });
  router.get("/subscriptions/:subscriptionId/providers/Microsoft.Security/secureScores/:name/secureScoreControls", async (req, res) => {
    checkName(req.params.name!);
    await listControls(req, res);
  });
  router.get("/subscriptions/:subscriptionId/providers/Microsoft.Security/secureScoreControls", listControls);

  const listDefinitions = async (req: EmulatorRequest, res: ServerResponse, subscriptionId?: string) => {
    const g = await guard(rt, req, {
      apiVersions: SCORE_API_VERSIONS,
      subscriptionId,
      action: "Microsoft.Security/secureScoreControlDefinitions/read",
    });
    await sendPage(rt, req, res, g, SECURITY_CONTROL_LIST, (c) => controlDefinition(rt, c.key));
  };
  router.get("/providers/Microsoft.Security/secureScoreControlDefinitions", (req, res) => listDefinitions(req, res));
  router.get("/subscriptions/:subscriptionId/providers/Microsoft.Security/secureScoreControlDefinitions", (req, res) =>
    listDefinitions(req, res, sub(req)),
  );

  registerComplianceRoutes(router, rt);
}

function registerComplianceRoutes(router: Router, rt: ArmRuntime): void {
  const base = "/subscriptions/:subscriptionId/providers/Microsoft.Security/regulatoryComplianceStandards";
  const load = async (req: EmulatorRequest) => {
    const subscriptionId = req.params.subscriptionId!.toLowerCase();
    const g = await guard(rt, req, {
      apiVersions: COMPLIANCE_API_VERSIONS,
      subscriptionId,
      action: "Microsoft.Security/regulatoryComplianceStandards/read",
    });
    return { g, subscriptionId, standards: complianceOf(rt, subscriptionId) };
  };
  const findStandard = (standards: ComplianceStandard[], name: string) => {
    const s = standards.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!s) throw notFound(`regulatoryComplianceStandards/${name}`);
    return s;
  };
  const findControl = (s: ComplianceStandard, name: string) => {
    const control = s.controls.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!control) throw notFound(`regulatoryComplianceStandards/${s.name}/regulatoryComplianceControls/${name}`);
    return control;
  };
  router.get(base, async (req, res) => {
    const { g, subscriptionId, standards } = await load(req);
    await sendPage(rt, req, res, g, standards, (s) => standardBody(subscriptionId, s));
  });
  router.get(`${base}/:standard`, async (req, res) => {
    const { g, subscriptionId, standards } = await load(req);
    armJson(res, 200, standardBody(subscriptionId, findStandard(standards, req.params.standard!)), g);
  });
  router.get(`${base}/:standard/regulatoryComplianceControls`, async (req, res) => {
    const { g, subscriptionId, standards } = await load(req);
    const s = findStandard(standards, req.params.standard!);
    await sendPage(rt, req, res, g, s.controls, (control) => controlBody(subscriptionId, s, control));
  });
  router.get(`${base}/:standard/regulatoryComplianceControls/:control`, async (req, res) => {
    const { g, subscriptionId, standards } = await load(req);
    const s = findStandard(standards, req.params.standard!);
    armJson(res, 200, controlBody(subscriptionId, s, findControl(s, req.params.control!)), g);
  });
  router.get(`${base}/:standard/regulatoryComplianceControls/:control/regulatoryComplianceAssessments`, async (req, res) => {
    const { g, subscriptionId, standards } = await load(req);
    const s = findStandard(standards, req.params.standard!);
    const control = findControl(s, req.params.control!);
    await sendPage(rt, req, res, g, control.assessments, (a) => assessmentBody(subscriptionId, s, control, a));
  });
  router.get(`${base}/:standard/regulatoryComplianceControls/:control/regulatoryComplianceAssessments/:assessment`, async (req, res) => {
    const { g, subscriptionId, standards } = await load(req);
    const s = findStandard(standards, req.params.standard!);
    const control = findControl(s, req.params.control!);
    const a = control.assessments.find((x) => x.name.toLowerCase() === req.params.assessment!.toLowerCase());
    if (!a) throw notFound(`regulatoryComplianceAssessments/${req.params.assessment}`);
    armJson(res, 200, assessmentBody(subscriptionId, s, control, a), g);
  });
}
