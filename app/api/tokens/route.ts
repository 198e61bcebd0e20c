// GET /api/tokens — list API tokens (admin). POST /api/tokens — create one; the token is shown only in this answer.
import { route } from "@/lib/http/route";
import { ZPageQuery } from "@/lib/schemas/common";
import { ZCreateToken } from "@/lib/schemas/tokens";
import { createApiToken, listApiTokens } from "@/lib/tokens/tokens";

export const GET = route({
  role: "admin",
  query: ZPageQuery,
  handler: ({ actor, query }) => listApiTokens(actor, query),
});

export const POST = route({
  role: "admin",
  body: ZCreateToken,
  status: 201,
  handler: ({ actor, body, requestId }) => createApiToken(actor, body, { requestId }),
});
