// Sign-in through the real route handlers, the real msal-node and the Entra ID emulator: the
// authorization code + PKCE flow end to end, then every way a forged, expired or misdirected
// credential must be refused.
import { generateKeyPair, SignJWT } from "jose";
import { describe, expect, test } from "vitest";
import { call, configureTestEnv, cookieFrom, pressSignIn, TEST_SESSION_SECRET } from "@/test/app";
import { integrationSuite } from "@/test/integration";
import { GET as login } from "@/app/api/auth/login/route";
import { GET as callback } from "@/app/api/auth/callback/route";
import { GET as me } from "@/app/api/auth/me/route";
import { POST as logout } from "@/app/api/auth/logout/route";
import { sealSession } from "@/lib/auth/session-token";
import { verifyIdToken } from "@/lib/auth/entra";

const suite = integrationSuite();

/** login → emulator sign-in page → callback; returns the callback's response. */
async function signInAs(displayName: string, returnTo?: string) {
  const start = await call(login, "GET", "/api/auth/login", { query: returnTo ? { returnTo } : {} });
  expect(start.status).toBe(307);
  const authState = cookieFrom(start, "pd_auth");
  expect(authState).toBeTruthy();
  const redirect = await pressSignIn(start.headers.get("location")!, displayName);
  expect(redirect.pathname).toBe("/api/auth/callback");
  const query = Object.fromEntries(redirect.searchParams);
  const res = await call(callback, "GET", "/api/auth/callback", { query, cookie: `pd_auth=${authState}` });
  return { res, query, authState: authState! };
}

describe("authorization code flow with PKCE", () => {
  test("an admin signs in, lands where they started, and the API knows their role", async () => {
    const { res } = await signInAs("Ada Admin", "/tickets?state=open");
    expect(res.status).toBe(307);
    expect(res.headers.get("location")).toBe("http://localhost:3000/tickets?state=open");
    const session = cookieFrom(res, "pd_session");
    expect(session).toBeTruthy();
    expect(res.headers.getSetCookie().find((c) => c.startsWith("pd_session="))).toMatch(/HttpOnly/i);
    expect(res.headers.getSetCookie().find((c) => c.startsWith("pd_session="))).toMatch(/SameSite=lax/i);

    const who = await call(me, "GET", "/api/auth/me", { cookie: `pd_session=${session}` });
    expect(who.status).toBe(200);
    expect(await who.json()).toMatchObject({ type: "user", name: "Ada Admin", email: "ada.admin@contoso.example", role: "ADMIN" });
    const audit = await suite.database.db.auditLog.findFirst({ where: { action: "auth.sign_in", actorName: "Ada Admin" } });
    expect(audit?.after).toMatchObject({ role: "ADMIN" });
  });

  test.each([
    ["Ari Analyst", "ANALYST"],
    ["Mona Manager", "MANAGER"],
  ])("%s gets the %s role from the token's app roles", async (name, role) => {
    const { res } = await signInAs(name);
    const who = await call(me, "GET", "/api/auth/me", { cookie: `pd_session=${cookieFrom(res, "pd_session")}` });
    expect((await who.json()).role).toBe(role);
  });

  test("a person without an app role is sent to the no-access page and the API refuses them", async () => {
    const { res } = await signInAs("Nora Norole");
    expect(res.headers.get("location")).toBe("http://localhost:3000/no-access");
    const who = await call(me, "GET", "/api/auth/me", { cookie: `pd_session=${cookieFrom(res, "pd_session")}` });
    expect(who.status).toBe(403);
  });

  test("an open redirect through returnTo is refused", async () => {
    const { res } = await signInAs("Ada Admin", "//evil.example/phish");
    expect(res.headers.get("location")).toBe("http://localhost:3000/");
  });

  test("a callback whose state does not match the pending sign-in is rejected", async () => {
    const start = await call(login, "GET", "/api/auth/login");
    const authState = cookieFrom(start, "pd_auth")!;
    const redirect = await pressSignIn(start.headers.get("location")!, "Ada Admin");
    const query = { ...Object.fromEntries(redirect.searchParams), state: "forged-state" };
    const res = await call(callback, "GET", "/api/auth/callback", { query, cookie: `pd_auth=${authState}` });
    expect(res.headers.get("location")).toBe("http://localhost:3000/signin?error=rejected");
    expect(cookieFrom(res, "pd_session")).toBeUndefined();
  });

  test("a callback without the pending sign-in cookie (another browser) is rejected", async () => {
    const start = await call(login, "GET", "/api/auth/login");
    const redirect = await pressSignIn(start.headers.get("location")!, "Ada Admin");
    const res = await call(callback, "GET", "/api/auth/callback", { query: Object.fromEntries(redirect.searchParams) });
    expect(res.headers.get("location")).toBe("http://localhost:3000/signin?error=expired");
  });

  test("a code cannot be redeemed twice", async () => {
    const { query, authState } = await signInAs("Ada Admin");
    const again = await call(callback, "GET", "/api/auth/callback", { query, cookie: `pd_auth=${authState}` });
    expect(again.headers.get("location")).toBe("http://localhost:3000/signin?error=rejected");
  });

  test("an error from Entra ID ends on the sign-in page with a message", async () => {
    const res = await call(callback, "GET", "/api/auth/callback", {
      query: { error: "access_denied", error_description: "AADSTS65004: user declined" },
    });
    expect(res.headers.get("location")).toBe("http://localhost:3000/signin?error=denied");
  });

  test("sign-out clears the cookie and is audited", async () => {
    const { res } = await signInAs("Ari Analyst");
    const cookie = `pd_session=${cookieFrom(res, "pd_session")}`;
    const out = await call(logout, "POST", "/api/auth/logout", { cookie });
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie().find((c) => c.startsWith("pd_session="))).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/i);
    expect(await suite.database.db.auditLog.count({ where: { action: "auth.sign_out", actorName: "Ari Analyst" } })).toBeGreaterThan(0);
  });

  test("sign-out from a foreign origin is refused (CSRF)", async () => {
    const { res } = await signInAs("Ari Analyst");
    const out = await call(logout, "POST", "/api/auth/logout", {
      cookie: `pd_session=${cookieFrom(res, "pd_session")}`,
      origin: "https://evil.example",
    });
    expect(out.status).toBe(403);
  });
});

async function realIdTokenFor(): Promise<{ idToken: string; nonce: string }> {
  const { ConfidentialClientApplication, CryptoProvider } = await import("@azure/msal-node");
  const crypto = new CryptoProvider();
  const app = new ConfidentialClientApplication({
    auth: {
      ...suite.emu.manifest.entra.dashboardApp,
      authority: suite.emu.manifest.entra.authority,
      knownAuthorities: [suite.emu.manifest.entra.knownAuthority],
    },
  });
  const pkce = await crypto.generatePkceCodes();
  const nonce = crypto.createNewGuid();
  const state = crypto.createNewGuid();
  const url = await app.getAuthCodeUrl({
    scopes: ["openid"],
    redirectUri: "http://localhost:3000/api/auth/callback",
    codeChallenge: pkce.challenge,
    codeChallengeMethod: "S256",
    nonce,
    state,
  });
  const redirect = await pressSignIn(url, "Ada Admin");
  const result = await app.acquireTokenByCode(
    {
      code: redirect.searchParams.get("code")!,
      redirectUri: "http://localhost:3000/api/auth/callback",
      scopes: ["openid"],
      codeVerifier: pkce.verifier,
      nonce,
      state,
    },
    { code: redirect.searchParams.get("code")!, state, nonce },
  );
  return { idToken: result.idToken, nonce };
}

describe("id_token verification", () => {
  const realIdToken = realIdTokenFor;

  test("a genuine token verifies", async () => {
    const { idToken, nonce } = await realIdToken();
    const payload = await verifyIdToken(idToken, nonce);
    expect(payload.name).toBe("Ada Admin");
  });

  test("a token with a tampered payload is rejected (signature)", async () => {
    const { idToken, nonce } = await realIdToken();
    const [h, p, s] = idToken.split(".");
    const claims = JSON.parse(Buffer.from(p, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, roles: ["Admin"], name: "Mallory" })).toString("base64url");
    await expect(verifyIdToken(`${h}.${forged}.${s}`, nonce)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  test("a token signed by another key is rejected", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT({ nonce: "n", oid: "x", tid: suite.emu.manifest.tenantId, roles: ["Admin"] })
      .setProtectedHeader({ alg: "RS256", kid: "attacker" })
      .setIssuer(`${suite.emu.manifest.entra.authority}/v2.0`)
      .setAudience(suite.emu.manifest.entra.dashboardApp.clientId)
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(privateKey);
    await expect(verifyIdToken(forged, "n")).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  test("a token for another application (wrong audience) is rejected", async () => {
    const { idToken, nonce } = await realIdToken();
    configureTestEnv(suite.database.url, { ENTRA_CLIENT_ID: "00000000-0000-0000-0000-000000000001" });
    try {
      await expect(verifyIdToken(idToken, nonce)).rejects.toThrow(/aud/);
    } finally {
      configureTestEnv(suite.database.url);
    }
  });

  test("a token with another sign-in's nonce is rejected", async () => {
    const { idToken } = await realIdToken();
    await expect(verifyIdToken(idToken, "some-other-nonce")).rejects.toThrow(/nonce/);
  });
});

describe("expired credentials", () => {
  test("an id_token checked two hours after it was issued is rejected", async () => {
    const { idToken, nonce } = await realIdTokenFor();
    await expect(verifyIdToken(idToken, nonce, new Date(Date.now() + 2 * 3600_000))).rejects.toThrow(/exp/);
  });

  test("an expired session cookie is refused", async () => {
    const user = await suite.database.db.user.create({ data: { oid: "o-expired", tenantId: "t", name: "Old Session", role: "ADMIN" } });
    const longAgo = Math.floor(Date.now() / 1000) - 10 * 3600;
    const sealed = await sealSession(
      { uid: user.id, oid: "o-expired", tid: "t", name: "Old Session", email: null, sid: crypto.randomUUID(), authTime: longAgo },
      TEST_SESSION_SECRET,
      3600,
      longAgo,
    );
    const res = await call(me, "GET", "/api/auth/me", { cookie: `pd_session=${sealed.value}` });
    expect(res.status).toBe(401);
  });

  test("a tampered session cookie is refused", async () => {
    const user = await suite.database.db.user.create({ data: { oid: "o-tamper", tenantId: "t", name: "Tamper", role: "MANAGER" } });
    const claims = () => ({
      uid: user.id,
      oid: "o-tamper",
      tid: "t",
      name: "Tamper",
      email: null,
      sid: crypto.randomUUID(),
      authTime: Math.floor(Date.now() / 1000),
    });
    const sealed = await sealSession(claims(), TEST_SESSION_SECRET, 3600);
    const flipped = sealed.value.slice(0, -6) + (sealed.value.at(-6) === "A" ? "B" : "A") + sealed.value.slice(-5);
    expect((await call(me, "GET", "/api/auth/me", { cookie: `pd_session=${flipped}` })).status).toBe(401);
    const otherKey = await sealSession(claims(), "another-secret-that-is-at-least-32-characters", 3600);
    expect((await call(me, "GET", "/api/auth/me", { cookie: `pd_session=${otherKey.value}` })).status).toBe(401);
  });
});
