// GET /api/azure-tenants/{id} — one Azure tenant connection (analyst). PATCH — change it (admin; an omitted
// secret is kept). DELETE — archive it (admin): its findings and sync history stay viewable.
import { archiveAzureTenant, getAzureTenant, updateAzureTenant } from "@/lib/azure-tenants/service";
import { routeById } from "@/lib/http/route-by-id";
import { ZUpdateAzureTenant } from "@/lib/schemas/azure-tenants";

export const GET = routeById({
  summary: "Get an Azure tenant connection",
  role: "analyst",
  handler: ({ actor, id }) => getAzureTenant(actor, id),
});

export const PATCH = routeById({
  summary: "Change an Azure tenant connection (credentials, endpoints, included subscriptions)",
  role: "admin",
  body: ZUpdateAzureTenant,
  handler: ({ actor, id, body, requestId }) => updateAzureTenant(actor, id, body, { requestId }),
});

export const DELETE = routeById({
  summary: "Archive an Azure tenant connection (findings and history are kept)",
  role: "admin",
  handler: ({ actor, id, requestId }) => archiveAzureTenant(actor, id, { requestId }),
});
