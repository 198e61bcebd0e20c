import "server-only";

// An Azure client for a stored tenant connection: secret decrypted, both endpoints through the SSRF
// guard before use (private addresses need the connection's own switch and ALLOW_PRIVATE_NETWORK),
// and one client per connection and configuration version in this process so MSAL's token cache is
// shared by consecutive runs. `overrides` (the connection test) give a private, uncached client.
import { createAzureClient, type AzureClient, type AzureClientConfig } from "@/lib/azure/client";
import { decryptSecret } from "@/lib/crypto/secrets";
import { env } from "@/lib/env";
import { type AzureTenant } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { GuardedMsalNetworkClient } from "@/lib/net/guarded-fetch";
import { assertSafeOutboundUrl } from "@/lib/net/ssrf";

export type TenantCredentials = Pick<
  AzureTenant,
  | "id"
  | "name"
  | "tenantId"
  | "clientId"
  | "clientSecretEnc"
  | "authorityHost"
  | "armEndpoint"
  | "armAudience"
  | "allowPrivateNetwork"
  | "updatedAt"
  | "deletedAt"
>;

/**
 * What a reader that builds a client adds to its query (`omit: WITH_TENANT_SECRET`): the encrypted
 * column db() otherwise leaves out (lib/db.ts omitSecrets).
 */
export const WITH_TENANT_SECRET = { clientSecretEnc: false } as const;

/** Throws VALIDATION unless both endpoints are https and (unless allowed twice) public. */
export async function assertTenantEndpointsAllowed(
  tenant: Pick<AzureTenant, "authorityHost" | "armEndpoint" | "allowPrivateNetwork">,
): Promise<void> {
  const allowPrivate = tenant.allowPrivateNetwork && env().ALLOW_PRIVATE_NETWORK;
  await assertSafeOutboundUrl(tenant.authorityHost, { allowPrivate, purpose: "Entra ID authority host" });
  await assertSafeOutboundUrl(tenant.armEndpoint, { allowPrivate, purpose: "Azure Resource Manager endpoint" });
}

const globalForClients = globalThis as typeof globalThis & { __posturedeskAzureClients?: TenantClientCache };
const clients = (globalForClients.__posturedeskAzureClients ??= new Map());

/** How long a successful address check is trusted (DNS answers change). */
const RECHECK_MS = 60_000;

function build(tenant: TenantCredentials, overrides: Partial<AzureClientConfig>): AzureClient {
  return createAzureClient({
    tenantId: tenant.tenantId,
    clientId: tenant.clientId,
    clientSecret: decryptSecret(tenant.clientSecretEnc),
    authorityHost: tenant.authorityHost,
    armEndpoint: tenant.armEndpoint,
    // Every MSAL request (discovery and the token POST carrying the secret) through the SSRF guard,
    // pinned to the authority's origin, redirects refused.
    networkClient: new GuardedMsalNetworkClient({
      allowPrivate: tenant.allowPrivateNetwork && env().ALLOW_PRIVATE_NETWORK,
      purpose: "Entra ID authority",
      pinnedOrigin: tenant.authorityHost,
    }),
    armAudience: tenant.armAudience,
    ...overrides,
  });
}

export async function azureClientFor(tenant: TenantCredentials, overrides?: Partial<AzureClientConfig>): Promise<AzureClient> {
  if (overrides) {
    assertUsable(tenant);
    await assertTenantEndpointsAllowed(tenant);
    return build(tenant, overrides);
  }
  return cachedTenantClient(clients, tenant);
}

function assertUsable(tenant: TenantCredentials): void {
  if (tenant.deletedAt)
    throw new AppError("CONFLICT", { message: `The Azure tenant connection "${tenant.name}" is archived; it cannot be used any more` });
  if (!tenant.clientSecretEnc)
    throw new AppError("CONFLICT", { message: `The Azure tenant connection "${tenant.name}" has no client secret; an admin must set one` });
}

export type TenantClientCache = Map<string, { version: number; client: AzureClient; checkedAt: number }>;

/**
 * The tenant's client from `cache` (one per connection and configuration version, so MSAL's token cache is
 * reused), built with `settings` (timeouts, retries) when the version changed; both endpoints re-checked by the
 * SSRF guard at most a minute apart, and every MSAL request through the guarded network client.
 */
export async function cachedTenantClient(
  cache: TenantClientCache,
  tenant: TenantCredentials,
  settings: Partial<AzureClientConfig> = {},
): Promise<AzureClient> {
  assertUsable(tenant);
  const now = Date.now();
  const version = tenant.updatedAt.getTime();
  const cached = cache.get(tenant.id);
  if (cached && cached.version === version && now - cached.checkedAt < RECHECK_MS) return cached.client;
  await assertTenantEndpointsAllowed(tenant);
  const client = cached && cached.version === version ? cached.client : build(tenant, settings);
  cache.set(tenant.id, { version, client, checkedAt: now });
  return client;
}

/** Forget a connection's client (after its configuration or credentials changed). */
export function forgetAzureClient(tenantId: string): void {
  clients.delete(tenantId);
}
