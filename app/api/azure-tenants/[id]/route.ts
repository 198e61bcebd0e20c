// GET /api/azure-tenants/{id} — one Azure tenant connection (analyst). PATCH — change it (admin; an omitted
// secret is kept). DELETE — archive it (admin): its findings and sync history stay viewable.
import { archiveAzureTenant, getAzureTenant, updateAzureTenant } from "@/lib/azure-tenants/service";
import { getRoute, removeRoute, updateRoute } from "@/lib/http/service-routes";
import { ZUpdateAzureTenant } from "@/lib/schemas/azure-tenants";

export const GET = getRoute(getAzureTenant, {
  summary: "Get an Azure tenant connection",
  role: "analyst",
});

export const PATCH = updateRoute(updateAzureTenant, {
  summary: "Change an Azure tenant connection (credentials, endpoints, included subscriptions)",
  role: "admin",
  body: ZUpdateAzureTenant,
});

export const DELETE = removeRoute(archiveAzureTenant, {
  summary: "Archive an Azure tenant connection (findings and history are kept)",
  role: "admin",
});
