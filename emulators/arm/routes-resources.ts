// Control routes for the seeded resources (no auth; never mixed with the real paths). What Resource Graph's
// `resources` table serves, and a way to change resource tags as someone editing them in Azure would:
//   GET   /_emulator/resources        ?subscriptionId=&type=&offset=&limit=  (the emulator's data, with current tags)
//   PATCH /_emulator/resources/tags   {ids: [...], tags: {...}, merge?: boolean}
//         replaces (or, with merge, adds to) the tags of the given resources; `tags: {}` removes them all.
// Subscriptions are not resources here (Resource Graph keeps them in `resourcecontainers`): 400.
import { z } from "zod";
import { HttpError, type Router, sendJson } from "../common/http";
import { RT } from "../seed/resource-types";
import type { Resource } from "../seed/types";
import { resourceTagsOf, ZResourceTags } from "./resource-tags";
import { type ArmRuntime, worldIndex } from "./runtime";

const ZTagPatch = z
  .object({
    ids: z.array(z.string().min(1)).min(1).max(100_000),
    tags: ZResourceTags,
    merge: z.boolean().optional(),
  })
  .strict();

function invalid(detail: string): HttpError {
  return new HttpError(400, "InvalidControlRequest", "The control request body is not valid.", {}, detail);
}

export function registerResourceControlRoutes(router: Router, rt: ArmRuntime): void {
  const view = (r: Resource) => ({
    id: r.id,
    name: r.name,
    type: r.type,
    subscriptionId: r.subscriptionId,
    resourceGroup: r.resourceGroup,
    location: r.location,
    tags: resourceTagsOf(rt.state(), r),
  });

  router.get("/_emulator/resources", (req, res) => {
    const q = req.query;
    const type = q.get("type")?.toLowerCase();
    const items = rt.ctx.world.resources.filter(
      (r) =>
        r.type !== RT.subscription &&
        !r.cloud &&
        (!q.get("subscriptionId") || r.subscriptionId === q.get("subscriptionId")!.toLowerCase()) &&
        (!type || r.type.toLowerCase() === type),
    );
    const offset = Number(q.get("offset") ?? 0);
    const limit = Math.min(Number(q.get("limit") ?? 100_000), 200_000);
    sendJson(res, 200, { total: items.length, value: items.slice(offset, offset + limit).map(view) });
  });

  router.patch("/_emulator/resources/tags", (req, res) => {
    const parsed = ZTagPatch.safeParse(req.body ?? {});
    if (!parsed.success) throw invalid(parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; "));
    const body = parsed.data;
    const index = worldIndex(rt.ctx.world).resources;
    const targets = body.ids.map((id) => ({ id, resource: index.get(id.toLowerCase()) }));
    const unknown = targets.filter((t) => !t.resource || t.resource.type === RT.subscription).map((t) => t.id);
    if (unknown.length > 0)
      throw invalid(
        `Unknown resource ids (subscriptions are not resources): ${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ""}`,
      );
    // Everything is checked before anything changes: a refused request changes nothing.
    const updates = targets.map(({ resource }) => ({
      resource: resource!,
      tags: body.merge ? { ...resourceTagsOf(rt.state(), resource!), ...body.tags } : { ...body.tags },
    }));
    const tooMany = updates.find((u) => Object.keys(u.tags).length > 50);
    if (tooMany) throw invalid(`${tooMany.resource.id}: a resource holds at most 50 tags`);
    for (const u of updates) rt.state().resourceTags.set(u.resource.id.toLowerCase(), u.tags);
    rt.bump();
    sendJson(res, 200, { changed: updates.length, value: updates.map((u) => view(u.resource)) });
  });
}
