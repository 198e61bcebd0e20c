// POST /api/webhooks/servicenow/{connectionId} — ServiceNow's business rule reports a changed ticket
// (HMAC-signed, no session); queues a targeted sync of it and answers 202 at once.
import { z } from "zod";
import { jsonResponse } from "@/lib/http/json";
import { route } from "@/lib/http/route";
import { ZWebhookResponse } from "@/lib/sync/schemas";
import { receiveServiceNowWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "@/lib/sync/webhook";

export const POST = route({
  summary: "ServiceNow webhook: a ticket changed (HMAC-SHA256 signed; see docs/OPERATIONS.md)",
  role: "public",
  // Authenticated by its signature, never by a cookie: no Origin to check.
  skipOriginCheck: true,
  rawBody: true,
  params: z.object({ connectionId: z.string().uuid("must be a UUID") }),
  response: ZWebhookResponse,
  status: 202,
  handler: async ({ req, params, rawBody }) => {
    const result = await receiveServiceNowWebhook(params.connectionId, {
      timestamp: req.headers.get(TIMESTAMP_HEADER),
      signature: req.headers.get(SIGNATURE_HEADER),
      body: rawBody,
    });
    return jsonResponse(result, { status: result.status === "queued" ? 202 : 200 });
  },
});
