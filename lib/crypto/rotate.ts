import "server-only";
import { db } from "@/lib/db";
import { decryptSecret, encryptSecret, needsReencryption } from "@/lib/crypto/secrets";

// Key rotation: after ENCRYPTION_KEY is replaced (old key moved to ENCRYPTION_KEYS_PREVIOUS), this
// re-seals every stored secret with the new key; then the old key can be dropped.

function reseal(value: string | null): string | null {
  if (!value || !needsReencryption(value)) return null;
  return encryptSecret(decryptSecret(value));
}

export async function rotateSecrets(): Promise<number> {
  let count = 0;
  const tenants = await db().azureTenant.findMany({ select: { id: true, clientSecretEnc: true } });
  for (const t of tenants) {
    const next = reseal(t.clientSecretEnc);
    if (next) {
      await db().azureTenant.update({ where: { id: t.id }, data: { clientSecretEnc: next } });
      count++;
    }
  }
  const connections = await db().serviceNowConnection.findMany({
    select: { id: true, passwordEnc: true, oauthClientSecretEnc: true, oauthTokenEnc: true, webhookSecretEnc: true },
  });
  for (const c of connections) {
    const data: Record<string, string> = {};
    for (const field of ["passwordEnc", "oauthClientSecretEnc", "oauthTokenEnc", "webhookSecretEnc"] as const) {
      const next = reseal(c[field]);
      if (next) data[field] = next;
    }
    if (Object.keys(data).length) {
      await db().serviceNowConnection.update({ where: { id: c.id }, data });
      count += Object.keys(data).length;
    }
  }
  return count;
}
