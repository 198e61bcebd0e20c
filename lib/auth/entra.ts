import "server-only";
import { ConfidentialClientApplication, CryptoProvider } from "@azure/msal-node";
import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload } from "jose";
import { z } from "zod";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/errors";
import { GuardedMsalNetworkClient, guardedFetch, type OutboundGuard } from "@/lib/net/guarded-fetch";
import { type TRole } from "@/lib/auth/roles";

// Sign-in with Microsoft Entra ID: authorization code flow with PKCE through msal-node. MSAL checks
// state and exchanges the code; it does not verify the id_token's signature or issuer, so
// verifyIdToken() does that against the authority's JWKS. Every request to Entra ID — MSAL's own and
// the discovery and JWKS fetches here — goes through the SSRF guard, https only, no redirects, pinned
// to the authority's origin (lib/net/guarded-fetch.ts): a discovery document naming another host for
// its token endpoint or keys is refused, so the client secret and codes never leave for elsewhere.

const SCOPES = ["openid", "profile", "email", "offline_access"];

const ZDiscovery = z.object({
  issuer: z.string().url(),
  authorization_endpoint: z.string().url(),
  token_endpoint: z.string().url(),
  jwks_uri: z.string().url(),
});

type Discovery = z.infer<typeof ZDiscovery>;

type EntraState = {
  /** The configuration it was built for: a changed authority or client builds a new one. */
  key: string;
  msal: ConfidentialClientApplication;
  discovery?: Promise<Discovery>;
  jwks?: { keys: ReturnType<typeof createLocalJWKSet>; fetchedAt: number };
};

/** The guard for every request to the sign-in authority. */
function authorityGuard(): OutboundGuard {
  const e = env();
  return { allowPrivate: e.ALLOW_PRIVATE_NETWORK, purpose: "Entra ID authority", pinnedOrigin: new URL(e.ENTRA_AUTHORITY).origin };
}

const globalForEntra = globalThis as unknown as { posturedeskEntra?: EntraState };

function state(): EntraState {
  const e = env();
  const key = `${e.ENTRA_AUTHORITY} ${e.ENTRA_CLIENT_ID}`;
  if (globalForEntra.posturedeskEntra?.key === key) return globalForEntra.posturedeskEntra;
  const authorityHost = new URL(e.ENTRA_AUTHORITY).host;
  const isMicrosoftHost = /(^|\.)login\.microsoftonline\.(com|us)$|(^|\.)login\.partner\.microsoftonline\.cn$/.test(
    new URL(e.ENTRA_AUTHORITY).hostname,
  );
  const knownAuthorities = [...new Set([...e.ENTRA_KNOWN_AUTHORITIES, ...(isMicrosoftHost ? [] : [authorityHost])])];
  const msal = new ConfidentialClientApplication({
    auth: {
      clientId: e.ENTRA_CLIENT_ID,
      clientSecret: e.ENTRA_CLIENT_SECRET,
      authority: e.ENTRA_AUTHORITY,
      ...(knownAuthorities.length ? { knownAuthorities } : {}),
    },
    system: { networkClient: new GuardedMsalNetworkClient(authorityGuard()) },
  });
  globalForEntra.posturedeskEntra = { key, msal };
  return globalForEntra.posturedeskEntra;
}

export function redirectUri(): string {
  return `${env().APP_URL}/api/auth/callback`;
}

async function discovery(): Promise<Discovery> {
  const s = state();
  s.discovery ??= (async () => {
    const url = `${env().ENTRA_AUTHORITY}/v2.0/.well-known/openid-configuration`;
    const res = await guardedFetch(url, { signal: AbortSignal.timeout(10_000) }, authorityGuard());
    if (!res.ok) throw new AppError("UPSTREAM_UNAVAILABLE", { message: `Entra ID discovery answered ${res.status}` });
    const doc = ZDiscovery.parse(await res.json());
    // The endpoints this server calls must be the authority's own (MSAL's token requests and the JWKS
    // fetch go through the same guard). authorization_endpoint is only where the browser is sent.
    const origin = new URL(env().ENTRA_AUTHORITY).origin;
    for (const [name, value] of [
      ["token_endpoint", doc.token_endpoint],
      ["jwks_uri", doc.jwks_uri],
    ] as const) {
      if (new URL(value).origin !== origin)
        throw new AppError("UPSTREAM_UNAVAILABLE", {
          message: `Entra ID discovery names ${name} on ${new URL(value).origin}, not the authority's origin ${origin}`,
        });
    }
    return doc;
  })().catch((error) => {
    s.discovery = undefined; // try again on the next sign-in
    throw error;
  });
  return s.discovery;
}

export type AuthRequest = { url: string; state: string; nonce: string; codeVerifier: string };

/** Where to send the browser to sign in, with fresh state, nonce and PKCE verifier to remember. */
export async function beginSignIn(): Promise<AuthRequest> {
  const crypto = new CryptoProvider();
  const { verifier, challenge } = await crypto.generatePkceCodes();
  const stateValue = crypto.createNewGuid();
  const nonce = crypto.createNewGuid();
  const url = await state().msal.getAuthCodeUrl({
    scopes: SCOPES,
    redirectUri: redirectUri(),
    codeChallenge: challenge,
    codeChallengeMethod: "S256",
    state: stateValue,
    nonce,
    responseMode: "query",
    prompt: "select_account",
  });
  return { url, state: stateValue, nonce, codeVerifier: verifier };
}

export type SignedInIdentity = { oid: string; tid: string; name: string; email: string | null; role: TRole | null; roles: string[] };

/** Exchanges the code and returns the verified identity from the id_token. */
export async function completeSignIn(input: {
  code: string;
  state: string;
  expected: { state: string; nonce: string; codeVerifier: string };
}): Promise<SignedInIdentity> {
  if (input.state !== input.expected.state) {
    throw new AppError("BAD_REQUEST", { message: "Sign-in state does not match; start again" });
  }
  let idToken: string;
  try {
    const result = await state().msal.acquireTokenByCode(
      {
        code: input.code,
        redirectUri: redirectUri(),
        scopes: SCOPES,
        codeVerifier: input.expected.codeVerifier,
        state: input.expected.state,
        nonce: input.expected.nonce,
      },
      { code: input.code, state: input.state, nonce: input.expected.nonce },
    );
    idToken = result.idToken;
  } catch (cause) {
    throw new AppError("UPSTREAM_AUTH", { message: `Entra ID refused the sign-in: ${(cause as Error).message}`, cause });
  }
  const claims = await verifyIdToken(idToken, input.expected.nonce);
  return identityFromClaims(claims);
}

/** Verifies an id_token's signature (JWKS), issuer, audience, expiry and nonce (at `at`, default now). */
export async function verifyIdToken(idToken: string, nonce: string, at?: Date): Promise<JWTPayload> {
  const d = await discovery();
  let payload: JWTPayload;
  const verify = async (keys: ReturnType<typeof createLocalJWKSet>) =>
    (
      await jwtVerify(idToken, keys, {
        issuer: d.issuer,
        audience: env().ENTRA_CLIENT_ID,
        algorithms: ["RS256"],
        clockTolerance: 60,
        ...(at ? { currentDate: at } : {}),
      })
    ).payload;
  try {
    try {
      payload = await verify(await signingKeys(d.jwks_uri, false));
    } catch (error) {
      // A key we have not seen (Entra rolled its keys): fetch the set again, at most every 30 s.
      if (!(error instanceof joseErrors.JWKSNoMatchingKey)) throw error;
      payload = await verify(await signingKeys(d.jwks_uri, true));
    }
  } catch (cause) {
    throw new AppError("UNAUTHENTICATED", { message: `The id_token was rejected: ${(cause as Error).message}`, cause });
  }
  if (payload.nonce !== nonce) throw new AppError("UNAUTHENTICATED", { message: "The id_token nonce does not match this sign-in" });
  return payload;
}

const JWKS_MIN_REFETCH_MS = 30_000;
const JWKS_MAX_AGE_MS = 24 * 3600_000;

/** The authority's signing keys, fetched through the guard and kept for a day (or refetched for an unknown key). */
async function signingKeys(jwksUri: string, isUnknownKey: boolean): Promise<ReturnType<typeof createLocalJWKSet>> {
  const s = state();
  const age = s.jwks ? Date.now() - s.jwks.fetchedAt : Infinity;
  if (s.jwks && age < JWKS_MAX_AGE_MS && !(isUnknownKey && age > JWKS_MIN_REFETCH_MS)) return s.jwks.keys;
  const res = await guardedFetch(jwksUri, { signal: AbortSignal.timeout(10_000) }, authorityGuard());
  if (!res.ok) throw new AppError("UPSTREAM_UNAVAILABLE", { message: `Entra ID keys answered ${res.status}` });
  const keys = createLocalJWKSet((await res.json()) as JSONWebKeySet);
  s.jwks = { keys, fetchedAt: Date.now() };
  return keys;
}

export function identityFromClaims(claims: JWTPayload): SignedInIdentity {
  const e = env();
  const roles = Array.isArray(claims.roles) ? claims.roles.map(String) : [];
  const role: TRole | null = roles.includes(e.ENTRA_ROLE_ADMIN)
    ? "ADMIN"
    : roles.includes(e.ENTRA_ROLE_ANALYST)
      ? "ANALYST"
      : roles.includes(e.ENTRA_ROLE_MANAGER)
        ? "MANAGER"
        : null;
  const oid = String(claims.oid ?? claims.sub ?? "");
  const tid = String(claims.tid ?? "");
  if (!oid || !tid) throw new AppError("UNAUTHENTICATED", { message: "The id_token has no oid/tid claims" });
  const email =
    typeof claims.email === "string" ? claims.email : typeof claims.preferred_username === "string" ? claims.preferred_username : null;
  const name = typeof claims.name === "string" && claims.name ? claims.name : (email ?? oid);
  return { oid, tid, name, email, role, roles };
}
