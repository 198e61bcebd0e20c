import "server-only";

// A ServiceNow client for a stored connection: secrets decrypted, the instance URL checked against the
// SSRF guard before use, OAuth tokens cached encrypted in the connection row (so workers and app
// processes share them), and one client per connection and configuration version in this process, so
// concurrent requests share one token renewal and one directory cache.
import { type ServiceNowConnectionRow } from "@/lib/db";
import { env } from "@/lib/env";
import { decryptSecret } from "@/lib/crypto/secrets";
import { type ServiceNowConnection } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { logger } from "@/lib/log";
import { metrics } from "@/lib/metrics";
import { assertSafeOutboundUrl } from "@/lib/net/ssrf";
import { createServiceNowClient, type ServiceNowClient, type ServiceNowClientOptions } from "@/lib/servicenow";
import { tokenStore } from "./client-sql";

/** The fields of a connection row the client needs. */
export type ConnectionCredentials = Pick<
  ServiceNowConnection,
  | "id"
  | "instanceUrl"
  | "allowPrivateNetwork"
  | "authType"
  | "username"
  | "passwordEnc"
  | "oauthClientId"
  | "oauthClientSecretEnc"
  | "updatedAt"
  | "deletedAt"
>;

/**
 * What a reader that builds a client adds to its query (`omit: WITH_CREDENTIALS`): the two encrypted
 * columns db() otherwise leaves out (lib/db.ts omitSecrets).
 */
export const WITH_CREDENTIALS = { passwordEnc: false, oauthClientSecretEnc: false } as const;

/** A connection read with `omit: WITH_CREDENTIALS`. */
export type ConnectionWithCredentials = ServiceNowConnectionRow & Pick<ServiceNowConnection, keyof typeof WITH_CREDENTIALS>;

/** Throws VALIDATION unless the instance URL is https and (unless allowed twice) public. */
export async function assertInstanceUrlAllowed(instanceUrl: string, allowPrivateNetwork: boolean): Promise<URL> {
  // Private addresses need both the connection's own switch and the deployment's ALLOW_PRIVATE_NETWORK.
  return assertSafeOutboundUrl(instanceUrl, {
    allowPrivate: allowPrivateNetwork && env().ALLOW_PRIVATE_NETWORK,
    purpose: "ServiceNow instance URL",
  });
}

function build(connection: ConnectionCredentials, overrides: Partial<ServiceNowClientOptions>): ServiceNowClient {
  const password = decryptSecret(connection.passwordEnc);
  const log = logger().child({ connectionId: connection.id, system: "servicenow" });
  const auth: ServiceNowClientOptions["auth"] =
    connection.authType === "oauth"
      ? {
          type: "oauth",
          username: connection.username,
          password,
          clientId: connection.oauthClientId ?? "",
          clientSecret: connection.oauthClientSecretEnc ? decryptSecret(connection.oauthClientSecretEnc) : "",
          tokenStore: tokenStore(connection.id),
        }
      : { type: "basic", username: connection.username, password };
  return createServiceNowClient({
    instanceUrl: connection.instanceUrl,
    auth,
    logger: log,
    onRequest: (info) => metrics().externalRequests.inc({ system: "servicenow", status: String(info.status) }),
    ...overrides,
  });
}

type Cached = { version: string; client: ServiceNowClient; checkedAt: number };
const globalForClients = globalThis as typeof globalThis & { __posturedeskSnClients?: Map<string, Cached> };
const clients = (globalForClients.__posturedeskSnClients ??= new Map());

/** How long a successful SSRF check of the instance host is trusted (DNS answers change). */
const RECHECK_MS = 60_000;

/**
 * The client of a connection. `overrides` (timeouts, retries) give a private, uncached client — the
 * connection test uses one so a slow instance fails fast.
 */
export async function serviceNowClientFor(
  connection: ConnectionCredentials,
  overrides?: Partial<ServiceNowClientOptions>,
): Promise<ServiceNowClient> {
  if (connection.deletedAt) {
    throw new AppError("CONFLICT", { message: "This ServiceNow connection is archived; it cannot be used any more" });
  }
  if (connection.authType === "oauth" && (!connection.oauthClientId || !connection.oauthClientSecretEnc)) {
    throw new AppError("CONFLICT", {
      message: "This ServiceNow connection uses OAuth but has no client id or secret; an admin must complete it",
    });
  }
  const now = Date.now();
  if (overrides) {
    await assertInstanceUrlAllowed(connection.instanceUrl, connection.allowPrivateNetwork);
    return build(connection, overrides);
  }
  const version = `${connection.updatedAt.getTime()}`;
  const cached = clients.get(connection.id);
  if (cached && cached.version === version && now - cached.checkedAt < RECHECK_MS) return cached.client;
  await assertInstanceUrlAllowed(connection.instanceUrl, connection.allowPrivateNetwork);
  // Same configuration: keep the client (and its token), only the address check is renewed.
  const client = cached && cached.version === version ? cached.client : build(connection, {});
  clients.set(connection.id, { version, client, checkedAt: now });
  return client;
}

/** Forget a connection's client (after its configuration or credentials changed). */
export function forgetServiceNowClient(connectionId: string): void {
  clients.delete(connectionId);
}
