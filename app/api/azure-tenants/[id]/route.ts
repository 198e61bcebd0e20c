// GET /api/azure-tenants/{id} — one Azure tenant connection (analyst). PATCH — change it (admin; an omitted
// secret is kept). DELETE — archive it (admin): its findings and sync history stay viewable.
import { archiveAzureTenant, getAzureTenant, updateAzureTenant } from "@/lib/azure-tenants/service";
import { route } from "@/lib/http/route";
import { ZUpdateAzureTenant } from "@/lib/schemas/azure-tenants";
import { ZIdParams } from "@/lib/schemas/common";

export const GET = route({
  summary: "Get an Azure tenant connection",
  role: "analyst",
  params: ZIdParams,
  handler: ({ actor, params }) => getAzureTenant(actor, params.id),
});

export const PATCH = route({
  summary: "Change an Azure tenant connection (credentials, endpoints, included subscriptions)",
  role: "admin",
  params: ZIdParams,
  body: ZUpdateAzureTenant,
  handler: ({ actor, params, body, requestId }) => updateAzureTenant(actor, params.id, body, { requestId }),
});

export const DELETE = route({
  summary: "Archive an Azure tenant connection (findings and history are kept)",
  role: "admin",
  params: ZIdParams,
  handler: ({ actor, params, requestId }) => archiveAzureTenant(actor, params.id, { requestId }),
});
