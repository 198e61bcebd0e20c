import "server-only";

// An Azure client for a stored tenant, for governance write-back. Interactive requests (ticket
// creation) wait for Azure at most a few seconds: one retry, short timeouts; anything slower is left
// pending for the sync engine's retry. Clients are kept per tenant and configuration version so MSAL's
// token cache is reused.
import { createAzureClient, type AzureClient } from "@/lib/azure/client";
import { assertTenantEndpointsAllowed, type TenantCredentials } from "@/lib/azure-tenants/client";
import { decryptSecret } from "@/lib/crypto/secrets";
import { AppError } from "@/lib/http/errors";

type Cached = { version: number; client: AzureClient; checkedAt: number };
const globalForAzure = globalThis as typeof globalThis & { __posturedeskGovernanceClients?: Map<string, Cached> };
const clients = (globalForAzure.__posturedeskGovernanceClients ??= new Map());

/** How long a successful address check is trusted (DNS answers change). */
const RECHECK_MS = 60_000;

export async function governanceClientFor(tenant: TenantCredentials): Promise<AzureClient> {
  if (tenant.deletedAt) throw new AppError("CONFLICT", { message: `The Azure tenant connection "${tenant.name}" is archived` });
  const now = Date.now();
  const version = tenant.updatedAt.getTime();
  const cached = clients.get(tenant.id);
  if (cached && cached.version === version && now - cached.checkedAt < RECHECK_MS) return cached.client;
  await assertTenantEndpointsAllowed(tenant);
  if (cached && cached.version === version) {
    cached.checkedAt = now;
    return cached.client;
  }
  const client = createAzureClient({
    tenantId: tenant.tenantId,
    clientId: tenant.clientId,
    clientSecret: decryptSecret(tenant.clientSecretEnc),
    authorityHost: tenant.authorityHost,
    armEndpoint: tenant.armEndpoint,
    armAudience: tenant.armAudience,
    timeoutMs: 15_000,
    retry: { maxRetries: 1, retryDelayInMs: 500, maxRetryDelayInMs: 5_000 },
    throttle: { maxRetries: 1, baseDelayMs: 500, maxDelayMs: 5_000 },
  });
  clients.set(tenant.id, { version, client, checkedAt: now });
  return client;
}
