import "server-only";
import { randomBytes } from "node:crypto";
import { decryptSecret } from "@/lib/crypto/secrets";
import { db, pool } from "@/lib/db";
import { AppError } from "@/lib/http/errors";
import { logger } from "@/lib/log";
import { enqueueTargetedSync } from "./enqueue-sql";
import { type TWebhookResponse, ZWebhookPayload } from "./schemas";
import { REPLAY_WINDOW_SECONDS, replayKey, verifyWebhookSignature } from "./signature";

// The SQL of webhook.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

/** The one answer to every refused notification. */
export const WEBHOOK_REFUSED_MESSAGE = "Webhook refused: the notification could not be verified";

export const REFUSED = () => new AppError("UNAUTHENTICATED", { message: WEBHOOK_REFUSED_MESSAGE });

/** Verifies against this when the connection is unknown: the same work, a certain mismatch. */
export const DECOY_SECRET = randomBytes(32).toString("hex");

export type RefusalReason =
  "unknown_connection" | "not_configured" | "secret_unreadable" | "missing" | "malformed" | "stale" | "future" | "mismatch" | "replayed";

export function refuse(connectionId: string, reason: RefusalReason): never {
  logger().warn({ connectionId, reason }, "webhook refused");
  throw REFUSED();
}

export async function receiveServiceNowWebhook(
  connectionId: string,
  input: { timestamp: string | null; signature: string | null; body: string },
): Promise<TWebhookResponse> {
  const connection = await db().serviceNowConnection.findUnique({
    where: { id: connectionId },
    select: { id: true, deletedAt: true, webhookSecretEnc: true },
  });
  let secret = DECOY_SECRET;
  let unusable: RefusalReason | null = null;
  if (!connection || connection.deletedAt) unusable = "unknown_connection";
  else if (!connection.webhookSecretEnc) unusable = "not_configured";
  else {
    try {
      secret = decryptSecret(connection.webhookSecretEnc);
    } catch {
      // Encrypted with a key that is gone: an admin must set the secret again.
      unusable = "secret_unreadable";
    }
  }
  const check = verifyWebhookSignature({ secret, timestamp: input.timestamp, signature: input.signature, body: input.body });
  if (unusable) refuse(connectionId, unusable);
  if (!check.isValid) refuse(connectionId, check.reason);

  // Remember the signature for the window; a second delivery of it is a replay. Old rows go first.
  await pool().query(`DELETE FROM "WebhookReplay" WHERE "seenAt" < now() - make_interval(secs => $1)`, [REPLAY_WINDOW_SECONDS * 2]);
  const { rowCount } = await pool().query(
    `INSERT INTO "WebhookReplay" ("connectionId", "signature") VALUES ($1::uuid, $2) ON CONFLICT DO NOTHING`,
    [connectionId, replayKey(input.signature!)],
  );
  if (rowCount !== 1) refuse(connectionId, "replayed");

  let json: unknown;
  try {
    json = JSON.parse(input.body);
  } catch {
    throw new AppError("MALFORMED_JSON", { message: "The webhook body is not valid JSON" });
  }
  const parsed = ZWebhookPayload.safeParse(json);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({ path: ["body", ...i.path.map(String)].join("."), message: i.message }));
    throw new AppError("VALIDATION", {
      message: `Invalid webhook body: ${errors
        .slice(0, 3)
        .map((e) => `${e.path} ${e.message}`)
        .join("; ")}`,
      details: { errors },
    });
  }
  // Raw SQL: receiving a notification is not a configuration change (updatedAt versions cached clients).
  await pool().query(`UPDATE "ServiceNowConnection" SET "lastWebhookAt" = now() WHERE "id" = $1::uuid`, [connectionId]);
  const { table, sys_id: sysId } = parsed.data;
  const ticket = await db().ticket.findUnique({
    where: { connectionId_sysId: { connectionId, sysId } },
    select: { id: true, table: true },
  });
  if (!ticket || ticket.table !== table) return { status: "ignored", runId: null, reason: "not a ticket this connection tracks" };
  const { runId } = await enqueueTargetedSync(connectionId, { table, sysId });
  return { status: "queued", runId };
}
