// GET /api/azure-tenants — Azure tenant connections (analyst; secrets never included). POST — add one (admin).
import { createAzureTenant, listAzureTenants } from "@/lib/azure-tenants/service";
import { route } from "@/lib/http/route";
import { ZAzureTenantsQuery, ZCreateAzureTenant } from "@/lib/schemas/azure-tenants";

export const GET = route({
  summary: "List Azure tenant connections (secrets never included)",
  role: "analyst",
  query: ZAzureTenantsQuery,
  handler: ({ actor, query }) => listAzureTenants(actor, query),
});

export const POST = route({
  summary: "Add an Azure tenant connection",
  role: "admin",
  body: ZCreateAzureTenant,
  status: 201,
  handler: ({ actor, body, requestId }) => createAzureTenant(actor, body, { requestId }),
});
