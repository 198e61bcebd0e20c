// GET /api/saved-views — my saved views and the views others shared, optionally of one page (manager).
// POST /api/saved-views — save a named filter set of the findings or recommendations page (manager).
import { route } from "@/lib/http/route";
import { createSavedView, listSavedViews } from "@/lib/saved-views/service";
import { ZCreateSavedView, ZSavedView, ZSavedViewList, ZSavedViewsQuery } from "@/lib/schemas/saved-views";

export const GET = route({
  summary: "List my saved views and the shared views of others",
  role: "manager",
  query: ZSavedViewsQuery,
  response: ZSavedViewList,
  handler: ({ actor, query }) => listSavedViews(actor, query),
});

export const POST = route({
  summary: "Save a named filter set (findings or recommendations), optionally shared",
  role: "manager",
  body: ZCreateSavedView,
  status: 201,
  response: ZSavedView,
  handler: ({ actor, body, requestId }) => createSavedView(actor, body, { requestId }),
});
