// DELETE /api/tokens/{id} — revoke an API token (admin); it stops working at once.
import { route } from "@/lib/http/route";
import { ZIdParams } from "@/lib/schemas/common";
import { revokeApiToken } from "@/lib/tokens/tokens";

export const DELETE = route({
  role: "admin",
  params: ZIdParams,
  handler: ({ actor, params, requestId }) => revokeApiToken(actor, params.id, { requestId }),
});
