// DELETE /api/tokens/{id} — revoke an API token (admin); it stops working at once.
import { routeById } from "@/lib/http/route-by-id";
import { revokeApiToken } from "@/lib/tokens/tokens";

export const DELETE = routeById({
  role: "admin",
  handler: ({ actor, id, requestId }) => revokeApiToken(actor, id, { requestId }),
});
