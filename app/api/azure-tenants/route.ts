// GET /api/azure-tenants — Azure tenant connections (analyst; secrets never included). POST — add one (admin).
import { createAzureTenant, listAzureTenants } from "@/lib/azure-tenants/service";
import { createRoute, listRoute } from "@/lib/http/service-routes";
import { ZAzureTenantsQuery, ZCreateAzureTenant } from "@/lib/schemas/azure-tenants";

export const GET = listRoute(listAzureTenants, {
  summary: "List Azure tenant connections (secrets never included)",
  role: "analyst",
  query: ZAzureTenantsQuery,
});

export const POST = createRoute(createAzureTenant, {
  summary: "Add an Azure tenant connection",
  role: "admin",
  body: ZCreateAzureTenant,
});
