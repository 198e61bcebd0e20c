import "server-only";

// Credentials for the ServiceNow client: HTTP Basic, or OAuth 2.0 against the instance's
// /oauth_token.do (password grant, then refresh_token grant; a failed refresh falls back to the password
// grant). Tokens are cached (optionally in a caller-provided store, e.g. encrypted in the database) and
// refreshed shortly before they expire or when the instance answers 401. Concurrent callers share one
// token request.
import { z } from "zod";
import { AppError } from "@/lib/http/errors";

export type OAuthTokens = {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch milliseconds after which the client renews the token (slightly before the instance's expiry). */
  expiresAt: number;
};

export type OAuthTokenStore = {
  load(): Promise<OAuthTokens | null> | OAuthTokens | null;
  save(tokens: OAuthTokens | null): Promise<void> | void;
};

export type ServiceNowAuth =
  | { type: "basic"; username: string; password: string }
  | { type: "oauth"; username: string; password: string; clientId: string; clientSecret: string; tokenStore?: OAuthTokenStore };

const ZTokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().nonnegative(),
  token_type: z.string().optional(),
});

/** Renew this long before the announced expiry (clock skew, request time); a tenth of short lifetimes. */
const EXPIRY_MARGIN_MS = 60_000;

function renewAt(nowMs: number, expiresInSeconds: number): number {
  const lifetimeMs = expiresInSeconds * 1000;
  return nowMs + lifetimeMs - Math.min(EXPIRY_MARGIN_MS, lifetimeMs / 10);
}

export type TokenFetch = (form: URLSearchParams) => Promise<{ status: number; bodyText: string }>;

export type AuthProvider = {
  /** Value of the Authorization header for the next request. */
  header(): Promise<string>;
  /** Called after a 401 with the header that failed: drop that token. Returns whether a new one may help. */
  invalidate(failedHeader: string): Promise<boolean>;
};

export function basicAuthProvider(username: string, password: string): AuthProvider {
  const value = `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
  return { header: async () => value, invalidate: async () => false };
}

function memoryStore(): OAuthTokenStore {
  let tokens: OAuthTokens | null = null;
  return {
    load: () => tokens,
    save: (t) => {
      tokens = t;
    },
  };
}

export function oauthProvider(
  auth: Extract<ServiceNowAuth, { type: "oauth" }>,
  fetchToken: TokenFetch,
  now: () => number = Date.now,
): AuthProvider {
  const store = auth.tokenStore ?? memoryStore();
  let pending: Promise<OAuthTokens> | null = null;

  const request = async (form: URLSearchParams): Promise<OAuthTokens | "refused"> => {
    form.set("client_id", auth.clientId);
    form.set("client_secret", auth.clientSecret);
    const { status, bodyText } = await fetchToken(form);
    if (status === 400 || status === 401 || status === 403) return "refused";
    if (status !== 200) {
      throw new AppError("UPSTREAM_UNAVAILABLE", {
        message: `ServiceNow OAuth token endpoint answered ${status}`,
        userMessage: "ServiceNow sign-in is unavailable.",
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(bodyText);
    } catch {
      json = null;
    }
    const parsed = ZTokenResponse.safeParse(json);
    if (!parsed.success) {
      throw new AppError("UPSTREAM_UNAVAILABLE", { message: "ServiceNow OAuth token endpoint sent an unexpected response" });
    }
    return {
      accessToken: parsed.data.access_token,
      refreshToken: parsed.data.refresh_token ?? null,
      expiresAt: renewAt(now(), parsed.data.expires_in),
    };
  };

  const obtain = async (previous: OAuthTokens | null): Promise<OAuthTokens> => {
    if (previous?.refreshToken) {
      const refreshed = await request(new URLSearchParams({ grant_type: "refresh_token", refresh_token: previous.refreshToken }));
      if (refreshed !== "refused") return { ...refreshed, refreshToken: refreshed.refreshToken ?? previous.refreshToken };
    }
    const granted = await request(new URLSearchParams({ grant_type: "password", username: auth.username, password: auth.password }));
    if (granted === "refused") {
      throw new AppError("UPSTREAM_AUTH", {
        message: "ServiceNow refused the OAuth credentials (client id/secret or user name/password)",
        userMessage: "ServiceNow refused the OAuth credentials.",
        details: { authMode: "oauth" },
      });
    }
    return granted;
  };

  const renew = (previous: OAuthTokens | null): Promise<OAuthTokens> => {
    pending ??= obtain(previous)
      .then(async (tokens) => {
        await store.save(tokens);
        return tokens;
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  };

  return {
    async header() {
      if (pending) return `Bearer ${(await pending).accessToken}`;
      const cached = await store.load();
      const tokens = cached && cached.expiresAt > now() ? cached : await renew(cached);
      return `Bearer ${tokens.accessToken}`;
    },
    async invalidate(failedHeader) {
      const cached = await store.load();
      // Only the token that failed is dropped (another request may already have renewed it), and the
      // refresh token is kept: the access token alone is known to be bad.
      if (cached && `Bearer ${cached.accessToken}` === failedHeader) await store.save({ ...cached, expiresAt: 0 });
      return true;
    },
  };
}
