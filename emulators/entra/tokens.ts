// Claims of the tokens the emulator issues (v2.0 shapes): id tokens for the dashboard app, access tokens
// for ARM / Graph / the app's own API, and `client_info` for MSAL's account cache.
import { createHash, randomBytes } from "node:crypto";
import type { JWTPayload } from "jose";
import type { Person } from "../seed/types";
import type { Principal } from "./principals";

export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
export const ACCESS_TOKEN_SECONDS = 3600;
export const ID_TOKEN_SECONDS = 3600;
export const CODE_SECONDS = 600;
export const REFRESH_TOKEN_SECONDS = 90 * 24 * 3600;

/** OIDC scopes that never name a resource. */
export const OIDC_SCOPES = new Set(["openid", "profile", "email", "offline_access"]);

/**
 * Resource identifiers of Resource Manager in the clouds the emulators serve (v1 and v2 spellings):
 * public, and Azure US Government for the second ARM instance. A token's `aud` is the resource that was
 * asked for, so a token for one cloud is refused by the other (401 InvalidAuthenticationTokenAudience).
 */
export const ARM_AUDIENCES_BY_CLOUD = {
  public: [
    "https://management.azure.com/",
    "https://management.azure.com",
    "https://management.core.windows.net/",
    "https://management.core.windows.net",
  ],
  usgov: [
    "https://management.usgovcloudapi.net/",
    "https://management.usgovcloudapi.net",
    "https://management.core.usgovcloudapi.net/",
    "https://management.core.usgovcloudapi.net",
  ],
} as const;
const ARM_RESOURCES = new Set<string>([...ARM_AUDIENCES_BY_CLOUD.public, ...ARM_AUDIENCES_BY_CLOUD.usgov]);

export function isArmResource(resource: string): boolean {
  return ARM_RESOURCES.has(resource);
}

/** The `aud` of a token for an ARM resource: the resource asked for, with the trailing slash Entra v1 tokens carry. */
export function armAudienceOf(resource: string): string {
  return resource.endsWith("/") ? resource : `${resource}/`;
}

/** `https://management.azure.com/.default` → `https://management.azure.com/`; `api://x/read` → `api://x`. */
export function resourceOfScope(scope: string): string {
  if (scope.endsWith("/.default")) return scope.slice(0, -"/.default".length);
  const slash = scope.lastIndexOf("/");
  return slash > "https://".length ? scope.slice(0, slash) : scope;
}

function common(issuer: string, tenantId: string, now: number, lifetimeSeconds: number): JWTPayload {
  const iat = Math.floor(now / 1000);
  return { iss: issuer, iat, nbf: iat, exp: iat + lifetimeSeconds, tid: tenantId, ver: "2.0", uti: randomBytes(16).toString("base64url") };
}

/** Who issues a token and when: the claims every token carries (see `common`). */
type Issuance = { issuer: string; tenantId: string; now: number };

/** Pairwise subject: stable per (user, app), as Entra's `sub` is. */
function pairwiseSub(oid: string, clientId: string): string {
  return createHash("sha256").update(`${oid}:${clientId}`).digest("base64url").slice(0, 43);
}

export function appAccessTokenClaims(
  p: Issuance & {
    audience: string;
    principal: Principal;
    roles?: string[];
  },
): JWTPayload {
  return {
    ...common(p.issuer, p.tenantId, p.now, ACCESS_TOKEN_SECONDS),
    aud: p.audience,
    appid: p.principal.clientId,
    azp: p.principal.clientId,
    appidacr: "1",
    azpacr: "1",
    idp: p.issuer,
    idtyp: "app",
    oid: p.principal.objectId,
    sub: p.principal.objectId,
    ...(p.roles && p.roles.length > 0 ? { roles: p.roles } : {}),
  };
}

export function userAccessTokenClaims(
  p: Issuance & {
    audience: string;
    clientId: string;
    user: Person;
    scopes: string[];
    roles: string[];
  },
): JWTPayload {
  return {
    ...common(p.issuer, p.tenantId, p.now, ACCESS_TOKEN_SECONDS),
    aud: p.audience,
    azp: p.clientId,
    azpacr: "1",
    name: p.user.displayName,
    oid: p.user.oid,
    preferred_username: p.user.email,
    scp: p.scopes.join(" ") || undefined,
    sub: pairwiseSub(p.user.oid, p.clientId),
    ...(p.roles.length > 0 ? { roles: p.roles } : {}),
  };
}

export function idTokenClaims(
  p: Issuance & {
    clientId: string;
    user: Person;
    nonce?: string;
    roles: string[];
  },
): JWTPayload {
  return {
    ...common(p.issuer, p.tenantId, p.now, ID_TOKEN_SECONDS),
    aud: p.clientId,
    name: p.user.displayName,
    oid: p.user.oid,
    preferred_username: p.user.email,
    email: p.user.email,
    sub: pairwiseSub(p.user.oid, p.clientId),
    ...(p.nonce ? { nonce: p.nonce } : {}),
    ...(p.roles.length > 0 ? { roles: p.roles } : {}),
  };
}

/** MSAL's `client_info`: base64url of `{ uid, utid }` (the home account id is `uid.utid`). */
export function clientInfo(oid: string, tenantId: string): string {
  return Buffer.from(JSON.stringify({ uid: oid, utid: tenantId })).toString("base64url");
}
