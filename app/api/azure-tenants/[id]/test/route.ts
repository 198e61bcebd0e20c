// POST /api/azure-tenants/{id}/test — token, visible subscriptions, Security Reader access and Resource Graph
// (analyst). Answers 200 with one step per check; a failed check is a result, not an HTTP error.
import { testAzureTenant } from "@/lib/azure-tenants/test-connection";
import { route } from "@/lib/http/route";
import { ZIdParams } from "@/lib/schemas/common";

export const POST = route({
  summary: "Test an Azure tenant connection: token, subscriptions, Security Reader, Resource Graph",
  role: "analyst",
  params: ZIdParams,
  handler: ({ actor, params }) => testAzureTenant(actor, params.id),
});
