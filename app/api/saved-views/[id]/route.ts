// GET /api/saved-views/{id} — one saved view: mine, or shared by someone else (manager).
// PATCH /api/saved-views/{id} — rename, change the filters or the sharing of my view (manager).
// DELETE /api/saved-views/{id} — delete my view (manager).
import { route } from "@/lib/http/route";
import { deleteSavedView, getSavedView, updateSavedView } from "@/lib/saved-views/service";
import { ZIdParams } from "@/lib/schemas/common";
import { ZSavedView, ZUpdateSavedView } from "@/lib/schemas/saved-views";

export const GET = route({
  summary: "Get a saved view (mine or shared)",
  role: "manager",
  params: ZIdParams,
  response: ZSavedView,
  handler: ({ actor, params }) => getSavedView(actor, params.id),
});

export const PATCH = route({
  summary: "Rename a saved view, change its filters or its sharing (owner only)",
  role: "manager",
  params: ZIdParams,
  body: ZUpdateSavedView,
  response: ZSavedView,
  handler: ({ actor, params, body, requestId }) => updateSavedView(actor, params.id, body, { requestId }),
});

export const DELETE = route({
  summary: "Delete a saved view (owner only)",
  role: "manager",
  params: ZIdParams,
  handler: ({ actor, params, requestId }) => deleteSavedView(actor, params.id, { requestId }),
});
