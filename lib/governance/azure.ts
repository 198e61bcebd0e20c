import "server-only";

// An Azure client for a stored tenant, for governance write-back. Interactive requests (ticket
// creation) wait for Azure at most a few seconds: one retry, short timeouts; anything slower is left
// pending for the sync engine's retry. Clients are kept per tenant and configuration version so MSAL's
// token cache is reused; like every tenant client, its endpoints and MSAL's requests go through the
// SSRF guard (lib/azure-tenants/client.ts).
import { type AzureClient } from "@/lib/azure/client";
import { cachedTenantClient, type TenantClientCache, type TenantCredentials } from "@/lib/azure-tenants/client";

const globalForAzure = globalThis as typeof globalThis & { __posturedeskGovernanceClients?: TenantClientCache };
const clients = (globalForAzure.__posturedeskGovernanceClients ??= new Map());

const INTERACTIVE = {
  timeoutMs: 15_000,
  retry: { maxRetries: 1, retryDelayInMs: 500, maxRetryDelayInMs: 5_000 },
  throttle: { maxRetries: 1, baseDelayMs: 500, maxDelayMs: 5_000 },
};

export function governanceClientFor(tenant: TenantCredentials): Promise<AzureClient> {
  return cachedTenantClient(clients, tenant, INTERACTIVE);
}
