// A TokenCredential for the Azure SDK backed by MSAL's ConfidentialClientApplication (client
// credentials). MSAL caches tokens in memory and refreshes them before expiry; a failed token request
// becomes an AppError (UPSTREAM_AUTH for refused credentials). Works against login.microsoftonline.com
// and against the Entra emulator (authority host https://localhost:PORT, listed in knownAuthorities so MSAL
// skips instance discovery at Microsoft's hosts).
import "server-only";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { ConfidentialClientApplication, type INetworkModule, LogLevel } from "@azure/msal-node";
import { metrics } from "@/lib/metrics";
import { toAzureAppError } from "./errors";

export type MsalCredentialConfig = {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** e.g. https://login.microsoftonline.com (default) or the emulator's https://localhost:PORT. */
  authorityHost?: string;
  /** Hosts (host:port) MSAL may use without instance discovery; the authority host is added when it is not Microsoft's. */
  knownAuthorities?: string[];
  /** Per token request; default 30 s. */
  timeoutMs?: number;
  /** MSAL's HTTP client (the SSRF-guarded one of lib/net/guarded-fetch.ts for stored connections). */
  networkClient?: INetworkModule;
};

const MICROSOFT_HOSTS = new Set([
  "login.microsoftonline.com",
  "login.microsoftonline.us",
  "login.chinacloudapi.cn",
  "login.partner.microsoftonline.cn",
]);

export function createMsalCredential(config: MsalCredentialConfig): TokenCredential {
  const authorityHost = (config.authorityHost ?? "https://login.microsoftonline.com").replace(/\/+$/, "");
  const host = new URL(authorityHost).host;
  const knownAuthorities = [...new Set([...(config.knownAuthorities ?? []), ...(MICROSOFT_HOSTS.has(host) ? [] : [host])])];
  const app = new ConfidentialClientApplication({
    auth: {
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      authority: `${authorityHost}/${config.tenantId}`,
      ...(knownAuthorities.length > 0 ? { knownAuthorities } : {}),
    },
    system: {
      loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => undefined },
      ...(config.networkClient ? { networkClient: config.networkClient } : {}),
    },
  });
  const timeoutMs = config.timeoutMs ?? 30_000;

  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const list = Array.isArray(scopes) ? scopes : [scopes];
      let timer: NodeJS.Timeout | undefined;
      try {
        const result = await Promise.race([
          app.acquireTokenByClientCredential({ scopes: list }),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`Token request timed out after ${timeoutMs} ms`)), timeoutMs);
          }),
          ...(options?.abortSignal
            ? [
                new Promise<never>((_, reject) =>
                  options.abortSignal!.addEventListener("abort", () => reject(new Error("Token request aborted")), { once: true }),
                ),
              ]
            : []),
        ]);
        // MSAL answers from its cache until a token nears expiry: only the others went to Entra ID.
        if (result && !result.fromCache) metrics().externalRequests.inc({ system: "entra", status: "200" });
        if (!result?.accessToken || !result.expiresOn) return null;
        return { token: result.accessToken, expiresOnTimestamp: result.expiresOn.getTime(), tokenType: "Bearer" };
      } catch (error) {
        const status = entraStatusOf(error);
        if (status !== null) metrics().externalRequests.inc({ system: "entra", status: String(status) });
        throw toAzureAppError(error, `token for ${list.join(" ")}`);
      } finally {
        if (timer) clearTimeout(timer);
      }
    },
  };
}

/**
 * The HTTP status of a failed token request for the metric: MSAL's ServerError carries the one Entra ID
 * answered; a network failure or our timeout is 0; a client-side refusal (bad configuration) sent nothing.
 */
export function entraStatusOf(error: unknown): number | null {
  const e = error as { status?: unknown; errorCode?: unknown; message?: unknown };
  if (typeof e?.status === "number") return e.status;
  const text = `${typeof e?.errorCode === "string" ? e.errorCode : ""} ${typeof e?.message === "string" ? e.message : ""}`;
  return /network|timed out|ECONN|ETIMEDOUT|socket|fetch failed|endpoints_resolution/i.test(text) ? 0 : null;
}
