import "server-only";
import { db } from "@/lib/db";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { type OAuthTokens, type OAuthTokenStore } from "@/lib/servicenow";

// The SQL of client.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

export function tokenStore(connectionId: string): OAuthTokenStore {
  // Memory first (one client per process shares it); the row is read once and written on renewal.
  // Raw SQL: saving a token must not bump updatedAt, which versions the connection's configuration.
  let memory: OAuthTokens | null | undefined;
  return {
    async load() {
      if (memory !== undefined) return memory;
      const rows = await db().$queryRaw<
        Array<{ oauthTokenEnc: string | null }>
      >`SELECT "oauthTokenEnc" FROM "ServiceNowConnection" WHERE id = ${connectionId}::uuid`;
      const sealed = rows[0]?.oauthTokenEnc;
      try {
        memory = sealed ? (JSON.parse(decryptSecret(sealed)) as OAuthTokens) : null;
      } catch {
        memory = null; // unreadable (key rotated away): sign in again
      }
      return memory;
    },
    async save(tokens) {
      memory = tokens;
      const sealed = tokens ? encryptSecret(JSON.stringify(tokens)) : null;
      const expiresAt = tokens ? new Date(tokens.expiresAt) : null;
      await db()
        .$executeRaw`UPDATE "ServiceNowConnection" SET "oauthTokenEnc" = ${sealed}, "oauthTokenExpiresAt" = ${expiresAt} WHERE id = ${connectionId}::uuid`;
    },
  };
}
