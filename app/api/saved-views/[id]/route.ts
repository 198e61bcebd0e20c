// GET /api/saved-views/{id} — one saved view: mine, or shared by someone else (manager).
// PATCH /api/saved-views/{id} — rename, change the filters or the sharing of my view (manager).
// DELETE /api/saved-views/{id} — delete my view (manager).
import { routeById } from "@/lib/http/route-by-id";
import { deleteSavedView, getSavedView, updateSavedView } from "@/lib/saved-views/service";
import { ZSavedView, ZUpdateSavedView } from "@/lib/schemas/saved-views";

export const GET = routeById({
  summary: "Get a saved view (mine or shared)",
  role: "manager",
  response: ZSavedView,
  handler: ({ actor, id }) => getSavedView(actor, id),
});

export const PATCH = routeById({
  summary: "Rename a saved view, change its filters or its sharing (owner only)",
  role: "manager",
  body: ZUpdateSavedView,
  response: ZSavedView,
  handler: ({ actor, id, body, requestId }) => updateSavedView(actor, id, body, { requestId }),
});

export const DELETE = routeById({
  summary: "Delete a saved view (owner only)",
  role: "manager",
  handler: ({ actor, id, requestId }) => deleteSavedView(actor, id, { requestId }),
});
