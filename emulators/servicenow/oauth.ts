// OAuth 2.0 token endpoint of the instance: `POST /oauth_token.do`, form-encoded, grants `password` and
// `refresh_token`; `client_credentials` answers like an instance where the grant is not enabled (the
// platform's default). Failures answer 401 `{"error":"server_error","error_description":"access_denied"}`,
// the body ServiceNow sends for every refused grant. Tokens expire on the emulated clock.
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { type EmulatorRequest, sendJson } from "../common/http";
import { type ApiUser, API_USERS, findApiUser, OAUTH_CLIENT, safeEqual } from "./users";

export type OAuthSettings = {
  accessTokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
  /** Issue a new refresh token on every refresh (and invalidate the old one). */
  rotateRefreshTokens: boolean;
  clientCredentialsEnabled: boolean;
};

export const DEFAULT_OAUTH_SETTINGS: OAuthSettings = {
  accessTokenLifetimeSeconds: 1800,
  refreshTokenLifetimeSeconds: 100 * 24 * 3600,
  rotateRefreshTokens: false,
  clientCredentialsEnabled: false,
};

type Token = { userName: string; expiresAt: number };

export type OAuthState = {
  settings: OAuthSettings;
  access: Record<string, Token>;
  refresh: Record<string, Token>;
};

export type OAuthServer = {
  state: OAuthState;
  handleToken(req: EmulatorRequest, res: ServerResponse): void;
  /** The user a bearer token belongs to, if the token is known and not expired. */
  userForAccessToken(token: string): ApiUser | undefined;
  /** Forgets issued tokens: every access token, and the refresh tokens too unless `accessOnly`. */
  revoke(options?: { accessOnly?: boolean }): void;
};

export function createOAuthState(): OAuthState {
  return { settings: { ...DEFAULT_OAUTH_SETTINGS }, access: {}, refresh: {} };
}

const refused = (res: ServerResponse) =>
  sendJson(res, 401, { error_description: "access_denied", error: "server_error" }, { "cache-control": "no-store" });

function clientFrom(req: EmulatorRequest, form: Record<string, string>): { id: string; secret: string } {
  const header = req.headers.authorization ?? "";
  if (header.toLowerCase().startsWith("basic ")) {
    const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
    const i = decoded.indexOf(":");
    if (i >= 0) return { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
  }
  return { id: form.client_id ?? "", secret: form.client_secret ?? "" };
}

export function createOAuthServer(getState: () => OAuthState, now: () => number): OAuthServer {
  const issue = (res: ServerResponse, user: ApiUser, refreshToken?: string) => {
    const state = getState();
    const accessToken = randomBytes(48).toString("base64url");
    state.access[accessToken] = { userName: user.userName, expiresAt: now() + state.settings.accessTokenLifetimeSeconds * 1000 };
    let refresh = refreshToken;
    if (!refresh) {
      refresh = randomBytes(48).toString("base64url");
      state.refresh[refresh] = { userName: user.userName, expiresAt: now() + state.settings.refreshTokenLifetimeSeconds * 1000 };
    }
    sendJson(
      res,
      200,
      {
        access_token: accessToken,
        refresh_token: refresh,
        scope: "useraccount",
        token_type: "Bearer",
        // The platform reports one second less than the configured lifetime.
        expires_in: Math.max(0, state.settings.accessTokenLifetimeSeconds - 1),
      },
      { "cache-control": "no-store" },
    );
  };

  const server: OAuthServer = {
    get state() {
      return getState();
    },
    handleToken(req, res) {
      const state = getState();
      const contentType = (req.headers["content-type"] ?? "").toLowerCase();
      const form =
        contentType.startsWith("application/x-www-form-urlencoded") && req.body && typeof req.body === "object"
          ? (req.body as Record<string, string>)
          : {};
      const client = clientFrom(req, form);
      const isClientValid = safeEqual(client.id, OAUTH_CLIENT.clientId) && safeEqual(client.secret, OAUTH_CLIENT.clientSecret);
      const grant = form.grant_type ?? "";
      if (!["password", "refresh_token", "client_credentials"].includes(grant)) {
        sendJson(res, 400, { error_description: `Unsupported grant type: ${grant || "(none)"}`, error: "unsupported_grant_type" });
        return;
      }
      if (!isClientValid) return refused(res);
      if (grant === "password") {
        const user = findApiUser(form.username ?? "", form.password ?? "");
        return user ? issue(res, user) : refused(res);
      }
      if (grant === "refresh_token") {
        const presented = form.refresh_token ?? "";
        const entry = Object.hasOwn(state.refresh, presented) ? state.refresh[presented] : undefined;
        const user = entry && entry.expiresAt > now() ? API_USERS.find((u) => u.userName === entry.userName) : undefined;
        if (!user) return refused(res);
        if (state.settings.rotateRefreshTokens) {
          delete state.refresh[presented];
          return issue(res, user);
        }
        return issue(res, user, presented);
      }
      // client_credentials: off unless enabled; when enabled the client acts as the integration user.
      if (!state.settings.clientCredentialsEnabled) return refused(res);
      return issue(res, API_USERS[0]!);
    },
    userForAccessToken(token) {
      const state = getState();
      const entry = Object.hasOwn(state.access, token) ? state.access[token] : undefined;
      if (!entry || entry.expiresAt <= now()) return undefined;
      return API_USERS.find((u) => u.userName === entry.userName);
    },
    revoke(options = {}) {
      const state = getState();
      state.access = {};
      if (!options.accessOnly) state.refresh = {};
    },
  };
  return server;
}
