// Conformance of the Entra ID emulator with the real @azure/msal-node: client credentials, and the
// authorization code flow with PKCE driven over HTTP the way a browser would (fetch the sign-in page,
// press "Sign in as …", follow the redirect), plus the bad paths a client must see rejected.
import { ConfidentialClientApplication, CryptoProvider } from "@azure/msal-node";
import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { requestArmToken, type TestEmulators, useEmulators } from "../common/testing";

let emu: TestEmulators;
const crypto = new CryptoProvider();

beforeAll(async () => {
  emu = await useEmulators();
}, 60_000);
afterAll(() => emu?.stop());

function msal(client: { clientId: string; clientSecret: string }, authority = emu.manifest.entra.authority) {
  return new ConfidentialClientApplication({
    auth: {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      authority,
      knownAuthorities: [emu.manifest.entra.knownAuthority],
    },
  });
}

const REDIRECT = "http://localhost:3999/api/auth/callback";

/** Opens the sign-in page like a browser, presses the person's button, returns the redirect target. */
async function signIn(authUrl: string, displayName: string): Promise<URL> {
  const page = await fetch(authUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const request = /name="request" value="([^"]+)"/.exec(html)?.[1];
  const user = new RegExp(`name="user" value="([^"]+)"[^>]*>Sign in as ${displayName}</button>`).exec(html)?.[1];
  expect(action && request && user, `sign-in page lists ${displayName}`).toBeTruthy();
  const response = await fetch(new URL(action!, authUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ request: request!, user: user! }),
    redirect: "manual",
  });
  expect(response.status).toBe(302);
  return new URL(response.headers.get("location")!);
}

async function startFlow(app: ConfidentialClientApplication, extra: { state?: string; nonce?: string } = {}) {
  const pkce = await crypto.generatePkceCodes();
  const state = extra.state ?? crypto.createNewGuid();
  const nonce = extra.nonce ?? crypto.createNewGuid();
  const url = await app.getAuthCodeUrl({
    scopes: ["openid", "profile", "offline_access"],
    redirectUri: REDIRECT,
    codeChallenge: pkce.challenge,
    codeChallengeMethod: "S256",
    state,
    nonce,
  });
  return { url, pkce, state, nonce };
}

describe("client credentials", () => {
  test("MSAL gets an ARM token whose signature, issuer, audience and expiry verify against the JWKS", async () => {
    const result = await msal(emu.manifest.entra.armServicePrincipal).acquireTokenByClientCredential({
      scopes: ["https://management.azure.com/.default"],
    });
    const jwks = createRemoteJWKSet(new URL(`${emu.manifest.entra.authority}/discovery/v2.0/keys`));
    const { payload, protectedHeader } = await jwtVerify(result!.accessToken, jwks, {
      issuer: `${emu.manifest.entra.authority}/v2.0`,
      audience: "https://management.azure.com/",
    });
    expect(protectedHeader.alg).toBe("RS256");
    expect(protectedHeader.kid).toBeTruthy();
    expect(payload.tid).toBe(emu.manifest.tenantId);
    expect(payload.appid).toBe(emu.manifest.entra.armServicePrincipal.clientId);
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  test("a wrong client secret fails with invalid_client AADSTS7000215", async () => {
    const app = msal({ clientId: emu.manifest.entra.armServicePrincipal.clientId, clientSecret: "not-the-secret" });
    await expect(app.acquireTokenByClientCredential({ scopes: ["https://management.azure.com/.default"] })).rejects.toMatchObject({
      errorCode: "invalid_client",
      errorMessage: expect.stringContaining("AADSTS7000215"),
    });
  });

  test("an unknown tenant is AADSTS90002 at the discovery document", async () => {
    const response = await fetch(`${emu.manifest.entra.url}/11111111-2222-3333-4444-555555555555/v2.0/.well-known/openid-configuration`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_tenant", error_codes: [90002] });
  });

  test("a scope without /.default is refused for client credentials (AADSTS1002012)", async () => {
    const response = await requestArmToken(emu.manifest, "https://management.azure.com/user_impersonation");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_scope", error_codes: [1002012] });
  });
});

describe("authorization code with PKCE", () => {
  test("the discovery document keeps the authority's origin for the back channel and sends browsers to plain http", async () => {
    const doc = (await (await fetch(`${emu.manifest.entra.authority}/v2.0/.well-known/openid-configuration`)).json()) as Record<
      string,
      string
    >;
    const origin = new URL(emu.manifest.entra.authority).origin;
    expect(new URL(doc.issuer!).origin).toBe(origin);
    expect(new URL(doc.token_endpoint!).origin).toBe(origin);
    expect(new URL(doc.jwks_uri!).origin).toBe(origin);
    expect(doc.authorization_endpoint).toMatch(/^http:\/\/localhost:\d+\//);
  });

  test("Ari Analyst signs in through the page; MSAL gets an id token with the Analyst role, the nonce and the account", async () => {
    const app = msal(emu.manifest.entra.dashboardApp);
    const flow = await startFlow(app);
    expect(flow.url.startsWith(emu.manifest.entra.browserUrl)).toBe(true);
    const back = await signIn(flow.url, "Ari Analyst");
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get("state")).toBe(flow.state);
    const code = back.searchParams.get("code")!;
    const result = await app.acquireTokenByCode(
      {
        code,
        scopes: ["openid", "profile", "offline_access"],
        redirectUri: REDIRECT,
        codeVerifier: flow.pkce.verifier,
        state: flow.state,
        nonce: flow.nonce,
      },
      { code, state: flow.state, client_info: back.searchParams.get("client_info") ?? undefined },
    );
    const claims = decodeJwt(result.idToken);
    expect(claims).toMatchObject({
      aud: emu.manifest.entra.dashboardApp.clientId,
      roles: ["Analyst"],
      nonce: flow.nonce,
      preferred_username: "ari.analyst@contoso.example",
    });
    expect(result.account?.homeAccountId).toBe(`${claims.oid}.${emu.manifest.tenantId}`);
    // The id token's signature verifies against the published keys (MSAL itself does not check it).
    await jwtVerify(result.idToken, createRemoteJWKSet(new URL(`${emu.manifest.entra.authority}/discovery/v2.0/keys`)), {
      issuer: `${emu.manifest.entra.authority}/v2.0`,
      audience: emu.manifest.entra.dashboardApp.clientId,
    });
    // The refresh token MSAL cached gets fresh tokens silently.
    const silent = await app.acquireTokenSilent({ account: result.account!, scopes: ["openid", "profile"], forceRefresh: true });
    expect(decodeJwt(silent.idToken).roles).toEqual(["Analyst"]);
  });

  test("a wrong code_verifier is rejected (AADSTS501481); a reused code is rejected (AADSTS54005)", async () => {
    const app = msal(emu.manifest.entra.dashboardApp);
    const flow = await startFlow(app);
    const code = (await signIn(flow.url, "Mona Manager")).searchParams.get("code")!;
    const request = { code, scopes: ["openid", "profile", "offline_access"], redirectUri: REDIRECT, nonce: flow.nonce };
    await expect(app.acquireTokenByCode({ ...request, codeVerifier: (await crypto.generatePkceCodes()).verifier })).rejects.toMatchObject({
      errorCode: "invalid_grant",
      errorMessage: expect.stringContaining("AADSTS501481"),
    });
    await expect(app.acquireTokenByCode({ ...request, codeVerifier: flow.pkce.verifier })).resolves.toMatchObject({
      idTokenClaims: { roles: ["Manager"] },
    });
    await expect(app.acquireTokenByCode({ ...request, codeVerifier: flow.pkce.verifier })).rejects.toMatchObject({
      errorMessage: expect.stringContaining("AADSTS54005"),
    });
  });

  test("a redirect_uri different from the one authorized is rejected at the token endpoint (AADSTS500112)", async () => {
    const app = msal(emu.manifest.entra.dashboardApp);
    const flow = await startFlow(app);
    const code = (await signIn(flow.url, "Ada Admin")).searchParams.get("code")!;
    await expect(
      app.acquireTokenByCode({
        code,
        scopes: ["openid"],
        redirectUri: "http://localhost:3999/elsewhere",
        codeVerifier: flow.pkce.verifier,
        nonce: flow.nonce,
      }),
    ).rejects.toMatchObject({ errorMessage: expect.stringContaining("AADSTS500112") });
  });

  test("MSAL rejects an id token whose nonce is not the one it sent", async () => {
    const app = msal(emu.manifest.entra.dashboardApp);
    const flow = await startFlow(app);
    const back = await signIn(flow.url, "Ada Admin");
    const code = back.searchParams.get("code")!;
    // MSAL 7 takes the expected nonce from the request (it must be the one sent to authorize).
    await expect(
      app.acquireTokenByCode({
        code,
        scopes: ["openid"],
        redirectUri: REDIRECT,
        codeVerifier: flow.pkce.verifier,
        state: flow.state,
        nonce: "some-other-nonce",
      }),
    ).rejects.toMatchObject({ errorCode: "nonce_mismatch" });
  });

  test("the sign-in page refuses an unregistered redirect URI without redirecting (AADSTS50011)", async () => {
    const app = msal(emu.manifest.entra.dashboardApp);
    const url = new URL((await startFlow(app)).url);
    url.searchParams.set("redirect_uri", "https://evil.example/callback");
    const response = await fetch(url, { redirect: "manual" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("AADSTS50011");
  });

  test("a user without an app role gets no roles claim until one is assigned through the control API", async () => {
    const app = msal(emu.manifest.entra.dashboardApp);
    const nora = emu.manifest.users.find((u) => u.email.startsWith("nora.norole@"))!;
    try {
      let flow = await startFlow(app);
      let code = (await signIn(flow.url, "Nora Norole")).searchParams.get("code")!;
      let result = await app.acquireTokenByCode({
        code,
        scopes: ["openid"],
        redirectUri: REDIRECT,
        codeVerifier: flow.pkce.verifier,
        nonce: flow.nonce,
      });
      expect(decodeJwt(result.idToken).roles).toBeUndefined();

      expect((await emu.control("entra", "PATCH", `/_emulator/entra/users/${nora.oid}`, { role: "Manager" })).status).toBe(200);
      flow = await startFlow(app);
      code = (await signIn(flow.url, "Nora Norole")).searchParams.get("code")!;
      result = await app.acquireTokenByCode({
        code,
        scopes: ["openid"],
        redirectUri: REDIRECT,
        codeVerifier: flow.pkce.verifier,
        nonce: flow.nonce,
      });
      expect(decodeJwt(result.idToken).roles).toEqual(["Manager"]);
    } finally {
      await emu.control("entra", "PATCH", `/_emulator/entra/users/${nora.oid}`, { role: null });
    }
  });
});
