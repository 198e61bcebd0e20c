// GET /api/saved-views/{id} — one saved view: mine, or shared by someone else (manager).
// PATCH /api/saved-views/{id} — rename, change the filters or the sharing of my view (manager).
// DELETE /api/saved-views/{id} — delete my view (manager).
import { getRoute, removeRoute, updateRoute } from "@/lib/http/service-routes";
import { deleteSavedView, getSavedView, updateSavedView } from "@/lib/saved-views/service";
import { ZSavedView, ZUpdateSavedView } from "@/lib/schemas/saved-views";

export const GET = getRoute(getSavedView, {
  summary: "Get a saved view (mine or shared)",
  role: "manager",
  response: ZSavedView,
});

export const PATCH = updateRoute(updateSavedView, {
  summary: "Rename a saved view, change its filters or its sharing (owner only)",
  role: "manager",
  body: ZUpdateSavedView,
  response: ZSavedView,
});

export const DELETE = removeRoute(deleteSavedView, {
  summary: "Delete a saved view (owner only)",
  role: "manager",
});
