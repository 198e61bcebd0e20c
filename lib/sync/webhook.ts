import "server-only";

// POST /api/webhooks/servicenow/{connectionId}: ServiceNow's business rule tells us a ticket changed.
// Authenticated by HMAC-SHA256 over timestamp + "." + body with the connection's webhook secret,
// 5-minute replay window, constant-time compare (signature.ts). The body only names the record; the
// targeted run reads it again from ServiceNow. Answers fast: 202 with the queued run, or 200 "ignored"
// for a record this connection does not track. A replayed notification inside the window can only
// queue another read of the same record, which coalesces with the one already queued.
import { decryptSecret } from "@/lib/crypto/secrets";
import { db, pool } from "@/lib/db";
import { AppError } from "@/lib/http/errors";
import { logger } from "@/lib/log";
import { enqueueTargetedSync } from "./enqueue";
import { type TWebhookResponse, ZWebhookPayload } from "./schemas";
import { verifyWebhookSignature } from "./signature";

export const TIMESTAMP_HEADER = "x-posturedesk-timestamp";
export const SIGNATURE_HEADER = "x-posturedesk-signature";

const NOT_CONFIGURED = () => new AppError("NOT_FOUND", { message: "No webhook is configured at this address" });

export async function receiveServiceNowWebhook(connectionId: string, input: { timestamp: string | null; signature: string | null; body: string }): Promise<TWebhookResponse> {
  const connection = await db().serviceNowConnection.findUnique({ where: { id: connectionId }, select: { id: true, deletedAt: true, webhookSecretEnc: true } });
  if (!connection || connection.deletedAt || !connection.webhookSecretEnc) throw NOT_CONFIGURED();
  let secret: string;
  try {
    secret = decryptSecret(connection.webhookSecretEnc);
  } catch {
    // Encrypted with a key that is gone: an admin must set the secret again.
    throw NOT_CONFIGURED();
  }
  const check = verifyWebhookSignature({ secret, timestamp: input.timestamp, signature: input.signature, body: input.body });
  if (!check.isValid) {
    logger().warn({ connectionId, reason: check.reason }, "webhook refused");
    const why = { missing: "signature headers are missing", malformed: "signature headers are malformed", stale: "the timestamp is outside the 5-minute window", mismatch: "the signature does not match" }[check.reason];
    throw new AppError("UNAUTHENTICATED", { message: `Webhook refused: ${why}` });
  }
  let json: unknown;
  try {
    json = JSON.parse(input.body);
  } catch {
    throw new AppError("MALFORMED_JSON", { message: "The webhook body is not valid JSON" });
  }
  const parsed = ZWebhookPayload.safeParse(json);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({ path: ["body", ...i.path.map(String)].join("."), message: i.message }));
    throw new AppError("VALIDATION", { message: `Invalid webhook body: ${errors.slice(0, 3).map((e) => `${e.path} ${e.message}`).join("; ")}`, details: { errors } });
  }
  // Raw SQL: receiving a notification is not a configuration change (updatedAt versions cached clients).
  await pool().query(`UPDATE "ServiceNowConnection" SET "lastWebhookAt" = now() WHERE "id" = $1::uuid`, [connectionId]);
  const { table, sys_id: sysId } = parsed.data;
  const ticket = await db().ticket.findUnique({ where: { connectionId_sysId: { connectionId, sysId } }, select: { id: true, table: true } });
  if (!ticket || ticket.table !== table) return { status: "ignored", runId: null, reason: "not a ticket this connection tracks" };
  const { runId } = await enqueueTargetedSync(connectionId, { table, sysId });
  return { status: "queued", runId };
}
