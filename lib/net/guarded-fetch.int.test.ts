// MSAL's client-credential token requests for a stored Azure tenant go through the SSRF guard: a
// discovery document that names another origin for the token endpoint, or answers with a redirect,
// gets no client secret (the tenant client and governance write-back's alike); plain http and metadata addresses are refused; the real emulator still works.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { inject } from "vitest";
import { azureClientFor, type TenantCredentials } from "@/lib/azure-tenants/client";
import { encryptSecret } from "@/lib/crypto/secrets";
import { governanceClientFor } from "@/lib/governance/azure";
import { GuardedMsalNetworkClient, guardedFetch } from "./guarded-fetch";
import { startHostileAuthority, type HostileAuthority } from "./testing";
import { integrationSuite } from "@/test/integration";

integrationSuite({ emulators: "none" });
let hostile: HostileAuthority;

beforeAll(async () => {
  hostile = await startHostileAuthority();
});
afterAll(async () => {
  await hostile.stop();
});

function tenant(authorityHost: string, overrides: Partial<TenantCredentials> = {}): TenantCredentials {
  return {
    id: crypto.randomUUID(),
    name: "hostile",
    tenantId: "tenant-x",
    clientId: "client-x",
    clientSecretEnc: encryptSecret("the-client-secret-that-must-not-leak"),
    authorityHost,
    armEndpoint: authorityHost,
    armAudience: "https://management.azure.com",
    allowPrivateNetwork: true,
    updatedAt: new Date(),
    deletedAt: null,
    ...overrides,
  };
}

describe("MSAL through the guarded network client", () => {
  // The sync's and the connection test's client, and governance write-back's own (short timeouts, its own cache).
  const clientKinds = {
    tenant: (t: TenantCredentials) => azureClientFor(t, { timeoutMs: 10_000 }),
    governance: (t: TenantCredentials) => governanceClientFor(t),
  };
  test.each([
    ["token-elsewhere", "tenant"],
    ["redirect", "tenant"],
    ["token-elsewhere", "governance"],
    ["redirect", "governance"],
  ] as const)("discovery %s, %s client: the token request is refused and the secret goes nowhere", async (mode, kind) => {
    hostile.mode = mode;
    hostile.thiefRequests.length = 0;
    const client = await clientKinds[kind](tenant(hostile.url));
    await expect(client.credential.getToken("https://management.azure.com/.default")).rejects.toBeTruthy();
    expect(hostile.thiefRequests).toEqual([]);
  });

  test("the bundled Entra emulator still issues tokens through the guard", async () => {
    const emulators = inject("emulators");
    const t = tenant(emulators.entra.url, {
      tenantId: emulators.tenantId,
      clientId: emulators.entra.armServicePrincipal.clientId,
      clientSecretEnc: encryptSecret(emulators.entra.armServicePrincipal.clientSecret),
      armEndpoint: emulators.arm.url,
    });
    const client = await azureClientFor(t, { timeoutMs: 10_000 });
    const token = await client.credential.getToken("https://management.azure.com/.default");
    expect(token?.token).toBeTruthy();
  });
});

describe("guardedFetch and the network client", () => {
  const guard = { allowPrivate: true, purpose: "Entra ID authority", pinnedOrigin: "https://localhost:1" };

  test("refuses another origin, plain http, metadata addresses and redirects", async () => {
    await expect(guardedFetch("https://127.0.0.1:1/x", {}, guard)).rejects.toThrow(/not the authority's origin/);
    await expect(guardedFetch("http://localhost:1/x", {}, guard)).rejects.toThrow(/only https/);
    await expect(guardedFetch("https://169.254.169.254/metadata", {}, { allowPrivate: true, purpose: "x" })).rejects.toThrow(
      /link-local|metadata/,
    );
    await expect(guardedFetch("https://[fd00:ec2::254]/latest", {}, { allowPrivate: true, purpose: "x" })).rejects.toThrow(/metadata/);
    hostile.mode = "redirect";
    hostile.thiefRequests.length = 0;
    await expect(
      guardedFetch(
        `${hostile.url}/t/v2.0/.well-known/openid-configuration`,
        {},
        { allowPrivate: true, purpose: "x", pinnedOrigin: hostile.url },
      ),
    ).rejects.toThrow(/redirect/);
    expect(hostile.thiefRequests).toEqual([]);
  });

  test("MSAL's client keeps the refusal on the cause chain as an MSAL AuthError", async () => {
    const client = new GuardedMsalNetworkClient(guard);
    const error = await client.sendPostRequestAsync("https://127.0.0.1:1/token", { body: "client_secret=s" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "AuthError", errorCode: "network_error" });
    expect((error as { cause?: { code?: string } }).cause).toMatchObject({ code: "VALIDATION" });
  });
});
