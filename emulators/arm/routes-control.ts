// ARM control routes (no auth; never mixed with the real paths):
//   POST   /_emulator/assessments/status  {ids?, recommendationKey?, subscriptionId?, count?, status}
//          flips matching assessments (remediation or regression) and moves their statusChangeDate
//   GET    /_emulator/assessments         ?subscriptionId=&status=&recommendationKey=&offset=&limit= (the emulator's data)
//   POST   /_emulator/assessments         {assessments:[{resourceId, key, status}]} adds findings
//   DELETE /_emulator/assessments         {ids:[…]} removes findings (the finding disappears from listings)
//   GET    /_emulator/governance/assignments   governance assignments written by clients
//   GET|DELETE /_emulator/arm/resource-graph/log   the last Resource Graph requests (scope size, status, quota left)
//   GET    /_emulator/arm/config          PATCH {pageSize?, readBudget?: {limit, windowSeconds} | null,
//                                                 resourceGraphQuota?: {limit, windowSeconds} | null}
import { z } from "zod";
import { HttpError, type Router, sendJson } from "../common/http";
import type { Assessment } from "../seed/types";
import { type ArmRuntime, subscriptionOfScope, worldIndex } from "./runtime";
import { ZArmConfigPatch } from "./state";

const status = z.enum(["Healthy", "Unhealthy", "NotApplicable"]);
const ZFlip = z
  .object({
    ids: z.array(z.string()).max(200_000).optional(),
    recommendationKey: z.string().optional(),
    subscriptionId: z.string().optional(),
    count: z.number().int().min(1).optional(),
    status,
  })
  .strict()
  .refine((v) => v.ids || v.recommendationKey || v.subscriptionId || v.count, "give ids, recommendationKey, subscriptionId or count");
const ZAdd = z
  .object({
    assessments: z
      .array(z.object({ resourceId: z.string().startsWith("/subscriptions/"), key: z.string().min(1), status }).strict())
      .min(1)
      .max(100_000),
  })
  .strict();
const ZRemove = z.object({ ids: z.array(z.string()).min(1).max(200_000) }).strict();

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    throw new HttpError(
      400,
      "InvalidControlRequest",
      "The control request body is not valid.",
      {},
      result.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; "),
    );
  }
  return result.data;
}

export function registerControlRoutes(router: Router, rt: ArmRuntime): void {
  const all = () => [...rt.state().bySubscription.values()].flat();

  router.post("/_emulator/assessments/status", (req, res) => {
    const body = parse(ZFlip, req.body);
    const ids = body.ids ? new Set(body.ids.map((i) => i.toLowerCase())) : undefined;
    let matching = all().filter(
      (a) =>
        a.status !== body.status &&
        (!ids || ids.has(a.id.toLowerCase())) &&
        (!body.recommendationKey || a.key.toLowerCase() === body.recommendationKey.toLowerCase()) &&
        (!body.subscriptionId || a.subscriptionId === body.subscriptionId.toLowerCase()),
    );
    if (body.count !== undefined) matching = matching.slice(0, body.count);
    const now = new Date(rt.ctx.clock.now()).toISOString();
    for (const a of matching) {
      a.status = body.status;
      a.statusChangeDate = now;
      if (body.status === "NotApplicable") {
        a.cause = "OffByPolicy";
        a.description =
          "The effective policy for the assessment was evaluated to off - use Microsoft.Authorization/policyAssignments to turn this assessment on";
      } else {
        delete a.cause;
        delete a.description;
      }
    }
    rt.bump();
    sendJson(res, 200, { changed: matching.length, ids: matching.map((a) => a.id) });
  });

  router.get("/_emulator/assessments", (req, res) => {
    const q = req.query;
    const items = all().filter(
      (a) =>
        (!q.get("subscriptionId") || a.subscriptionId === q.get("subscriptionId")!.toLowerCase()) &&
        (!q.get("status") || a.status === q.get("status")) &&
        (!q.get("recommendationKey") || a.key.toLowerCase() === q.get("recommendationKey")!.toLowerCase()),
    );
    const offset = Number(q.get("offset") ?? 0);
    const limit = Math.min(Number(q.get("limit") ?? 100_000), 200_000);
    sendJson(res, 200, { total: items.length, value: items.slice(offset, offset + limit) });
  });

  router.post("/_emulator/assessments", (req, res) => {
    const body = parse(ZAdd, req.body);
    const index = worldIndex(rt.ctx.world);
    const now = new Date(rt.ctx.clock.now()).toISOString();
    const added: Assessment[] = [];
    for (const input of body.assessments) {
      const subscriptionId = subscriptionOfScope(input.resourceId);
      const list = rt.state().bySubscription.get(subscriptionId);
      if (!list) throw new HttpError(400, "InvalidControlRequest", `Unknown subscription '${subscriptionId}'.`);
      if (!index.recommendations.has(input.key.toLowerCase()))
        throw new HttpError(400, "InvalidControlRequest", `Unknown recommendation key '${input.key}'.`);
      const id = `${input.resourceId}/providers/Microsoft.Security/assessments/${input.key}`;
      if (rt.state().byId.has(id.toLowerCase())) throw new HttpError(409, "Conflict", `The assessment '${id}' already exists.`);
      const a: Assessment = {
        id,
        key: input.key,
        resourceId: input.resourceId,
        subscriptionId,
        status: input.status,
        firstEvaluationDate: now,
        statusChangeDate: now,
      };
      list.push(a);
      rt.state().byId.set(id.toLowerCase(), a);
      added.push(a);
    }
    rt.bump();
    sendJson(res, 201, { value: added });
  });

  router.delete("/_emulator/assessments", (req, res) => {
    const ids = new Set(parse(ZRemove, req.body).ids.map((i) => i.toLowerCase()));
    let removed = 0;
    for (const [sub, list] of rt.state().bySubscription) {
      const kept = list.filter((a) => !ids.has(a.id.toLowerCase()));
      removed += list.length - kept.length;
      rt.state().bySubscription.set(sub, kept);
    }
    for (const id of ids) rt.state().byId.delete(id);
    rt.bump();
    sendJson(res, 200, { removed });
  });

  router.get("/_emulator/governance/assignments", (_req, res) => sendJson(res, 200, { value: [...rt.state().assignments.values()] }));

  router.get("/_emulator/arm/config", (_req, res) => sendJson(res, 200, rt.state().config));
  // The last Resource Graph requests: subscriptions per request, $top, status and quota left.
  router.get("/_emulator/arm/resource-graph/log", (_req, res) => sendJson(res, 200, { value: rt.state().graphLog }));
  router.delete("/_emulator/arm/resource-graph/log", (_req, res) => {
    rt.state().graphLog.length = 0;
    sendJson(res, 200, { value: [] });
  });
  router.patch("/_emulator/arm/config", (req, res) => {
    const patch = parse(ZArmConfigPatch, req.body);
    const config = rt.state().config;
    if (patch.pageSize !== undefined) config.pageSize = patch.pageSize;
    if (patch.readBudget !== undefined) {
      config.readBudget = patch.readBudget;
      rt.state().reads.clear();
    }
    if (patch.resourceGraphQuota !== undefined) {
      config.resourceGraphQuota = patch.resourceGraphQuota;
      rt.state().graphQuota.clear();
    }
    sendJson(res, 200, config);
  });
}
