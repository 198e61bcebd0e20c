// POST /api/azure-tenants/{id}/test — token, visible subscriptions, Security Reader access and Resource Graph
// (analyst). Answers 200 with one step per check; a failed check is a result, not an HTTP error.
import { testAzureTenant } from "@/lib/azure-tenants/test-connection";
import { routeById } from "@/lib/http/route-by-id";

export const POST = routeById({
  summary: "Test an Azure tenant connection: token, subscriptions, Security Reader, Resource Graph",
  role: "analyst",
  handler: ({ actor, id }) => testAzureTenant(actor, id),
});
