import "server-only";

// Demo part of the sync engine (npm start on the embedded default): the demo ServiceNow connection gets
// a webhook secret, and the ServiceNow emulator's outbound notification (its "business rule") is
// pointed at this app's webhook with that secret — so a change made in the emulator (its control page,
// or the control API) shows in the dashboard within seconds, as docs/OPERATIONS.md sets up on a real
// instance. Idempotent: the secret is made once; the emulator is told again at every start (the app's
// port may change).
import { randomBytes } from "node:crypto";
import { type EmulatorManifest } from "@/emulators/manifest";
import { SYSTEM_ACTOR } from "@/lib/audit/audit";
import { updateConnection } from "@/lib/connections/service";
import { decryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { webhookUrlFor } from "@/lib/sync/status";

const CONNECTION_KEY = "demo.servicenow.connectionId";

export async function bootstrapSyncDemo(manifest: EmulatorManifest, opts: { appUrl: string }): Promise<string> {
  const setting = await db().appSetting.findUnique({ where: { key: CONNECTION_KEY } });
  const connectionId = typeof setting?.value === "string" ? setting.value : null;
  const connection = connectionId
    ? await db().serviceNowConnection.findUnique({ where: { id: connectionId }, omit: { webhookSecretEnc: false } })
    : null;
  if (!connection || connection.deletedAt) return "webhook: no demo ServiceNow connection";

  let secret: string | null = null;
  if (connection.webhookSecretEnc) {
    try {
      secret = decryptSecret(connection.webhookSecretEnc);
    } catch {
      secret = null; // encrypted with a key that is gone: make a new one
    }
  }
  if (!secret) {
    secret = randomBytes(32).toString("base64url");
    await updateConnection(SYSTEM_ACTOR, connection.id, { webhookSecret: secret });
  }
  const url = webhookUrlFor(connection.id, opts.appUrl);
  const response = await fetch(`${manifest.servicenow.url}/_emulator/webhook`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ url, secret, tables: ["incident", "problem", "change_request"] }),
  });
  if (!response.ok) return `webhook: the ServiceNow emulator refused the configuration (HTTP ${response.status})`;
  return `webhook: ServiceNow emulator notifies ${url}`;
}
