// GET /api/saved-views — my saved views and the views others shared, optionally of one page (manager).
// POST /api/saved-views — save a named filter set of the findings or recommendations page (manager).
import { createRoute, listRoute } from "@/lib/http/service-routes";
import { createSavedView, listSavedViews } from "@/lib/saved-views/service";
import { ZCreateSavedView, ZSavedView, ZSavedViewList, ZSavedViewsQuery } from "@/lib/schemas/saved-views";

export const GET = listRoute(listSavedViews, {
  summary: "List my saved views and the shared views of others",
  role: "manager",
  query: ZSavedViewsQuery,
  response: ZSavedViewList,
});

export const POST = createRoute(createSavedView, {
  summary: "Save a named filter set (findings or recommendations), optionally shared",
  role: "manager",
  body: ZCreateSavedView,
  response: ZSavedView,
});
