// Microsoft Entra ID (v2.0 endpoints) emulator.
//   HTTPS:  /{tenant}/v2.0/.well-known/openid-configuration, /{tenant}/discovery/v2.0/keys,
//           /{tenant}/oauth2/v2.0/token, and authorize/logout (also served here for completeness)
//   HTTP:   /{tenant}/oauth2/v2.0/authorize (sign-in page), /{tenant}/oauth2/v2.0/logout — the discovery
//           document points browsers there (see authorize.ts for why)
//   Control: GET /_emulator/entra/users, PATCH /_emulator/entra/users/{oid|email} {"role"},
//           PUT /_emulator/entra/redirect-uris {"uris": [...]}, POST /_emulator/entra/revoke {"oid"?}
import type { IncomingMessage, ServerResponse } from "node:http";
import type { JWTPayload } from "jose";
import { z } from "zod";
import { createRouter, type EmulatorRequest, HttpError, sendEmpty, sendJson } from "../common/http";
import type { EmulatorContext, EmulatorModule } from "../common/platform";
import { handleAuthorizeGet, handleAuthorizePost, handleLogout } from "./authorize";
import { writeEntraError } from "./errors";
import { createSigningKey } from "./keys";
import { buildPrincipals, type Principals } from "./principals";
import { checkTenant, type EntraRuntime, issuerOf, roleOf } from "./runtime";
import { emptyEntraState, type EntraState, restoreEntraState, snapshotEntraState, sweep } from "./state";
import { handleToken } from "./token-endpoint";

export type EntraEmulator = EmulatorModule & {
  handleBrowser(req: IncomingMessage, res: ServerResponse): Promise<void>;
  principals(): Principals;
  issuer(): string;
  /** Verifies an access token this emulator issued (signature, issuer, expiry at the emulated time). */
  verifyAccessToken(token: string): Promise<JWTPayload>;
};

const ZRolePatch = z.object({ role: z.enum(["Admin", "Analyst", "Manager"]).nullable() }).strict();
const ZRedirectUris = z.object({ uris: z.array(z.string().url()).max(100) }).strict();
const ZRevoke = z.object({ oid: z.string().uuid().optional() }).strict();

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success)
    throw new HttpError(
      400,
      "invalid_request",
      `AADSTS900144: ${result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return result.data;
}

export function createEntraEmulator(ctx: EmulatorContext, options: { browserUrl: () => string }): EntraEmulator {
  let state: EntraState = emptyEntraState();
  const rt: EntraRuntime = {
    ctx,
    principals: buildPrincipals(),
    key: createSigningKey(),
    state: () => state,
    baseUrl: ctx.publicUrl,
    browserUrl: options.browserUrl,
  };

  const discovery = (req: EmulatorRequest, res: ServerResponse) => {
    checkTenant(rt, req.params.tenant!);
    const tenantId = ctx.world.tenantId;
    const base = `${rt.baseUrl()}/${tenantId}`;
    const browser = `${rt.browserUrl()}/${tenantId}`;
    sendJson(
      res,
      200,
      {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_modes_supported: ["query", "fragment", "form_post"],
        subject_types_supported: ["pairwise"],
        id_token_signing_alg_values_supported: ["RS256"],
        response_types_supported: ["code"],
        scopes_supported: ["openid", "profile", "email", "offline_access"],
        issuer: issuerOf(rt),
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${base}/oidc/userinfo`,
        authorization_endpoint: `${browser}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${browser}/oauth2/v2.0/logout`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        code_challenge_methods_supported: ["S256", "plain"],
        claims_supported: [
          "sub",
          "iss",
          "aud",
          "exp",
          "iat",
          "nbf",
          "name",
          "nonce",
          "oid",
          "preferred_username",
          "email",
          "tid",
          "ver",
          "roles",
        ],
        tenant_region_scope: "EU",
        cloud_instance_name: new URL(rt.baseUrl()).host,
        cloud_graph_host_name: "graph.windows.net",
        msgraph_host: "graph.microsoft.com",
        rbac_url: "https://pas.windows.net",
      },
      { "cache-control": "max-age=86400, private" },
    );
  };
  const keys = async (req: EmulatorRequest, res: ServerResponse) => {
    checkTenant(rt, req.params.tenant!);
    sendJson(res, 200, await rt.key.jwks(), { "cache-control": "max-age=86400, private" });
  };
  const withSweep =
    <T extends (req: EmulatorRequest, res: ServerResponse) => unknown>(fn: T) =>
    (req: EmulatorRequest, res: ServerResponse) => {
      sweep(state, ctx.clock.now());
      return fn(req, res) as void;
    };

  const userView = (p: (typeof ctx.world.people)[number]) => ({
    oid: p.oid,
    email: p.email,
    displayName: p.displayName,
    role: roleOf(rt, p),
  });
  const findUserByKey = (key: string) => ctx.world.people.find((p) => p.oid === key || p.email === key.toLowerCase());

  const router = createRouter({ writeError: writeEntraError, maxBodyBytes: 64 * 1024 })
    .get("/:tenant/v2.0/.well-known/openid-configuration", discovery)
    .get("/:tenant/discovery/v2.0/keys", keys)
    .post(
      "/:tenant/oauth2/v2.0/token",
      withSweep((req, res) => handleToken(rt, req, res)),
    )
    .get(
      "/:tenant/oauth2/v2.0/authorize",
      withSweep((req, res) => handleAuthorizeGet(rt, req, res)),
    )
    .post("/:tenant/oauth2/v2.0/authorize", (req, res) => handleAuthorizePost(rt, req, res))
    .get("/:tenant/oauth2/v2.0/logout", (req, res) => handleLogout(rt, req, res))
    .get("/_emulator/entra/users", (_req, res) => sendJson(res, 200, { value: ctx.world.people.map(userView) }))
    .patch("/_emulator/entra/users/:key", (req, res) => {
      const user = findUserByKey(req.params.key!);
      if (!user) throw new HttpError(404, "invalid_request", `AADSTS50034: No user '${req.params.key}'.`);
      state.roleOverrides.set(user.oid, parse(ZRolePatch, req.body).role);
      sendJson(res, 200, userView(user));
    })
    .put("/_emulator/entra/redirect-uris", (req, res) => {
      state.extraRedirectUris = parse(ZRedirectUris, req.body).uris;
      sendJson(res, 200, { uris: state.extraRedirectUris });
    })
    .post("/_emulator/entra/revoke", (req, res) => {
      const { oid } = parse(ZRevoke, req.body);
      for (const [token, value] of state.refreshTokens) if (!oid || value.oid === oid) state.refreshTokens.delete(token);
      sendEmpty(res, 204);
    });

  // The browser port serves only the pages a person's browser opens.
  const browserRouter = createRouter({ writeError: writeEntraError, maxBodyBytes: 64 * 1024 })
    .get(
      "/:tenant/oauth2/v2.0/authorize",
      withSweep((req, res) => handleAuthorizeGet(rt, req, res)),
    )
    .post("/:tenant/oauth2/v2.0/authorize", (req, res) => handleAuthorizePost(rt, req, res))
    .get("/:tenant/oauth2/v2.0/logout", (req, res) => handleLogout(rt, req, res));

  return {
    handle: (req, res) => router.handle(req, res),
    handleBrowser: (req, res) => browserRouter.handle(req, res),
    routeOf: (method, path) => router.templateFor(method, path),
    writeError: writeEntraError,
    reset() {
      state = emptyEntraState();
    },
    snapshot: () => snapshotEntraState(state),
    restore(snapshot) {
      state = restoreEntraState(snapshot);
    },
    principals: () => rt.principals,
    issuer: () => issuerOf(rt),
    verifyAccessToken: (token) => rt.key.verify(token, { issuer: issuerOf(rt), now: ctx.clock.now() }),
  };
}
