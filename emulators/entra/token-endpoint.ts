// POST /{tenant}/oauth2/v2.0/token — client_credentials, authorization_code (+PKCE) and refresh_token.
// Client authentication: client_secret in the form body (what MSAL sends) or HTTP Basic.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { ServerResponse } from "node:http";
import { type EmulatorRequest, sendJson } from "../common/http";
import type { Person } from "../seed/types";
import { aadError } from "./errors";
import type { Principal } from "./principals";
import { checkTenant, type EntraRuntime, findPrincipal, findUser, issuerOf, roleOf } from "./runtime";
import {
  ACCESS_TOKEN_SECONDS,
  appAccessTokenClaims,
  armAudienceOf,
  clientInfo,
  GRAPH_APP_ID,
  idTokenClaims,
  isArmResource,
  OIDC_SCOPES,
  REFRESH_TOKEN_SECONDS,
  resourceOfScope,
  userAccessTokenClaims,
} from "./tokens";

type Form = Record<string, string | undefined>;

const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const invalidGrant = (aadsts: number, message: string) => aadError(400, "invalid_grant", aadsts, message);

/** The signed-in person a code or refresh token names: gone from the directory is AADSTS50034. */
function userOf(rt: EntraRuntime, oid: string): Person {
  const user = findUser(rt, oid);
  if (!user) throw invalidGrant(50034, "The user account does not exist in the directory.");
  return user;
}

function required(form: Form, name: string): string {
  const value = form[name];
  if (!value) throw aadError(400, "invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`);
  return value;
}

function authenticateClient(rt: EntraRuntime, req: EmulatorRequest, form: Form): Principal {
  let clientId = form.client_id;
  let secret = form.client_secret;
  const auth = req.headers.authorization;
  if (auth?.toLowerCase().startsWith("basic ")) {
    const [id, pw] = Buffer.from(auth.slice(6), "base64").toString("utf8").split(":");
    clientId = decodeURIComponent(id ?? "");
    secret = decodeURIComponent(pw ?? "");
  }
  if (!clientId) throw aadError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
  const principal = findPrincipal(rt, clientId);
  if (!principal) {
    throw aadError(
      400,
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${rt.ctx.world.domain}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    );
  }
  if (form.client_assertion)
    throw aadError(401, "invalid_client", 700027, "Client assertions are not supported by the emulator; use a client secret.");
  if (!secret)
    throw aadError(
      401,
      "invalid_client",
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  if (!safeEqual(secret, principal.clientSecret)) {
    throw aadError(
      401,
      "invalid_client",
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${principal.clientId}'.`,
    );
  }
  return principal;
}

/** The audience a delegated token is for, and its `scp`, from the requested scopes. */
function delegatedAudience(rt: EntraRuntime, scopes: string[]): { audience: string; scp: string[]; isOwnApi: boolean } {
  const resourceScopes = scopes.filter((s) => !OIDC_SCOPES.has(s));
  const first = resourceScopes[0];
  if (!first || !first.includes("/")) return { audience: GRAPH_APP_ID, scp: ["openid", "profile", "email", "User.Read"], isOwnApi: false };
  const resource = resourceOfScope(first);
  const scp = resourceScopes.map((s) => s.slice(resourceOfScope(s).length + 1)).filter((s) => s && s !== ".default");
  if (isArmResource(resource) || isArmResource(`${resource}/`))
    return { audience: armAudienceOf(resource), scp: scp.length ? scp : ["user_impersonation"], isOwnApi: false };
  const appId = rt.principals.dashboardApp.clientId;
  if (resource === `api://${appId}` || resource === appId)
    return { audience: `api://${appId}`, scp: scp.length ? scp : ["access_as_user"], isOwnApi: true };
  throw aadError(
    400,
    "invalid_resource",
    500011,
    `The resource principal named ${resource} was not found in the tenant named ${rt.ctx.world.domain}.`,
  );
}

async function userTokens(rt: EntraRuntime, client: Principal, user: Person, scopes: string[], nonce: string | undefined) {
  const now = rt.ctx.clock.now();
  const issuer = issuerOf(rt);
  const tenantId = rt.ctx.world.tenantId;
  const role = client.clientId === rt.principals.dashboardApp.clientId ? roleOf(rt, user) : null;
  const roles = role ? [role] : [];
  const { audience, scp, isOwnApi } = delegatedAudience(rt, scopes);
  const body: Record<string, unknown> = {
    token_type: "Bearer",
    scope: scopes.filter((s) => s !== "offline_access").join(" "),
    expires_in: ACCESS_TOKEN_SECONDS - 1,
    ext_expires_in: ACCESS_TOKEN_SECONDS - 1,
    access_token: await rt.key.sign(
      userAccessTokenClaims({
        issuer,
        tenantId,
        now,
        audience,
        clientId: client.clientId,
        user,
        scopes: scp,
        roles: isOwnApi ? roles : [],
      }),
    ),
    client_info: clientInfo(user.oid, tenantId),
  };
  if (scopes.includes("offline_access")) {
    const refreshToken = randomBytes(48).toString("base64url");
    rt.state().refreshTokens.set(refreshToken, {
      clientId: client.clientId,
      oid: user.oid,
      scopes,
      expiresAt: now + REFRESH_TOKEN_SECONDS * 1000,
    });
    body.refresh_token = refreshToken;
    body.refresh_token_expires_in = REFRESH_TOKEN_SECONDS;
  }
  if (scopes.includes("openid"))
    body.id_token = await rt.key.sign(idTokenClaims({ issuer, tenantId, now, clientId: client.clientId, user, nonce, roles }));
  return body;
}

async function clientCredentials(rt: EntraRuntime, client: Principal, form: Form) {
  const scopes = required(form, "scope").split(" ").filter(Boolean);
  if (scopes.length !== 1 || !scopes[0]!.endsWith("/.default")) {
    throw aadError(
      400,
      "invalid_scope",
      1002012,
      `The provided value for scope ${scopes.join(" ")} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const resource = resourceOfScope(scopes[0]!);
  const appId = rt.principals.dashboardApp.clientId;
  let audience: string;
  if (isArmResource(resource) || isArmResource(`${resource}/`)) audience = armAudienceOf(resource);
  else if (resource === `api://${appId}` || resource === appId) audience = `api://${appId}`;
  else if (resource === "https://graph.microsoft.com") audience = "https://graph.microsoft.com";
  else
    throw aadError(
      400,
      "invalid_resource",
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${rt.ctx.world.domain}.`,
    );
  const claims = appAccessTokenClaims({
    issuer: issuerOf(rt),
    tenantId: rt.ctx.world.tenantId,
    now: rt.ctx.clock.now(),
    audience,
    principal: client,
  });
  return {
    token_type: "Bearer",
    expires_in: ACCESS_TOKEN_SECONDS - 1,
    ext_expires_in: ACCESS_TOKEN_SECONDS - 1,
    access_token: await rt.key.sign(claims),
  };
}

async function authorizationCode(rt: EntraRuntime, client: Principal, form: Form) {
  const codeValue = required(form, "code");
  const code = rt.state().codes.get(codeValue);
  if (!code) throw invalidGrant(9002313, "Invalid request. Request is malformed or invalid. The authorization code is unknown.");
  if (code.clientId !== client.clientId)
    throw invalidGrant(700005, "Provided Authorization Code is intended to use against other tenant or client.");
  if (code.isRedeemed)
    throw invalidGrant(
      54005,
      "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
    );
  if (code.codeExpiresAt < rt.ctx.clock.now())
    throw invalidGrant(
      70008,
      "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
    );
  const redirectUri = required(form, "redirect_uri");
  if (redirectUri !== code.redirectUri)
    throw invalidGrant(500112, "The reply address does not match the reply address provided when requesting Authorization code.");
  if (code.codeChallenge) {
    const verifier = required(form, "code_verifier");
    const computed = code.codeChallengeMethod === "plain" ? verifier : createHash("sha256").update(verifier).digest("base64url");
    if (!safeEqual(computed, code.codeChallenge))
      throw invalidGrant(501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.");
  }
  const user = userOf(rt, code.oid);
  code.isRedeemed = true;
  const scopes = form.scope ? form.scope.split(" ").filter(Boolean) : code.scopes;
  return userTokens(rt, client, user, scopes, code.nonce);
}

async function refreshToken(rt: EntraRuntime, client: Principal, form: Form) {
  const token = required(form, "refresh_token");
  const stored = rt.state().refreshTokens.get(token);
  if (!stored)
    throw invalidGrant(9002313, "Invalid request. Request is malformed or invalid. The refresh token is unknown or was revoked.");
  if (stored.expiresAt < rt.ctx.clock.now()) throw invalidGrant(700082, "The refresh token has expired due to inactivity.");
  if (stored.clientId !== client.clientId)
    throw invalidGrant(70000, "Provided grant is invalid or malformed: the refresh token was issued to a different client.");
  const user = userOf(rt, stored.oid);
  const scopes = form.scope ? [...new Set([...form.scope.split(" ").filter(Boolean), "offline_access"])] : stored.scopes;
  return userTokens(rt, client, user, scopes, undefined);
}

export async function handleToken(rt: EntraRuntime, req: EmulatorRequest, res: ServerResponse): Promise<void> {
  checkTenant(rt, req.params.tenant!);
  if (
    typeof req.body !== "object" ||
    req.body === null ||
    !String(req.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded")
  ) {
    throw aadError(
      400,
      "invalid_request",
      900144,
      "The request body must contain the following parameter: 'grant_type'. The body must be application/x-www-form-urlencoded.",
    );
  }
  const form = req.body as Form;
  const grantType = required(form, "grant_type");
  const client = authenticateClient(rt, req, form);
  let body: Record<string, unknown>;
  if (grantType === "client_credentials") body = await clientCredentials(rt, client, form);
  else if (grantType === "authorization_code") body = await authorizationCode(rt, client, form);
  else if (grantType === "refresh_token") body = await refreshToken(rt, client, form);
  else throw aadError(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grantType}'.`);
  sendJson(res, 200, body, NO_STORE);
}
