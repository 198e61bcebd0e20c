// Outbound HTTP for identity traffic (MSAL's token and discovery requests, the sign-in discovery and
// JWKS fetches): every URL goes through the SSRF guard (lib/net/ssrf.ts) right before the request,
// only https, redirects are refused rather than followed, and — when an origin is pinned — only that
// origin (the authority's) may be called, whatever a discovery document names. A hostile or
// misconfigured authority therefore cannot send the client secret or an authorization code anywhere
// else.
import { AuthError, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from "@azure/msal-node";
import { AppError } from "@/lib/http/errors";
import { assertSafeOutboundUrl } from "@/lib/net/ssrf";

export type OutboundGuard = {
  /** Loopback/private addresses allowed (the bundled emulators); metadata and link-local never are. */
  allowPrivate: boolean;
  /** Words for error messages, e.g. "Entra ID authority". */
  purpose: string;
  /** Only URLs on this origin may be called (the authority's origin). */
  pinnedOrigin?: string;
};

/** Throws VALIDATION when the URL may not be called under this guard; returns the parsed URL. */
export async function assertGuardedUrl(rawUrl: string, guard: OutboundGuard): Promise<URL> {
  const url = await assertSafeOutboundUrl(rawUrl, { allowPrivate: guard.allowPrivate, purpose: guard.purpose, requireHttps: true });
  if (guard.pinnedOrigin && url.origin !== new URL(guard.pinnedOrigin).origin) {
    throw new AppError("VALIDATION", {
      message: `${guard.purpose}: ${url.origin} is not the authority's origin (${new URL(guard.pinnedOrigin).origin}); refusing to send the request there`,
    });
  }
  return url;
}

/** fetch() through the guard, never following a redirect. */
export async function guardedFetch(rawUrl: string, init: RequestInit, guard: OutboundGuard): Promise<Response> {
  const url = await assertGuardedUrl(rawUrl, guard);
  const response = await fetch(url, { ...init, redirect: "manual" });
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined);
    throw new AppError("UPSTREAM_BAD_REQUEST", {
      message: `${guard.purpose}: ${url.origin} answered with a redirect (HTTP ${response.status}); redirects are not followed`,
      details: { status: response.status },
    });
  }
  return response;
}

/**
 * MSAL's network client (`system.networkClient`) with the guard applied to every request MSAL makes:
 * authority metadata, instance discovery and token requests alike.
 */
export class GuardedMsalNetworkClient implements INetworkModule {
  constructor(private readonly guard: OutboundGuard) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>("GET", url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>("POST", url, options);
  }

  private async send<T>(
    method: "GET" | "POST",
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    const headers = new Headers();
    for (const [key, value] of Object.entries(options?.headers ?? {})) headers.append(key, value);
    let response: Response;
    try {
      response = await guardedFetch(
        url,
        { method, headers, ...(method === "POST" ? { body: options?.body ?? "" } : {}), signal: AbortSignal.timeout(timeout ?? 30_000) },
        this.guard,
      );
    } catch (error) {
      // MSAL passes its own AuthError through untouched (anything else becomes a bare network_error),
      // so the refusal or the socket error stays on the cause chain for the failure description.
      const message = error instanceof AppError ? error.message : `Network request failed: ${(error as Error).message}`;
      throw Object.assign(new AuthError("network_error", message), { cause: error });
    }
    const dict: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      dict[key] = value;
    });
    let body: T;
    try {
      body = (await response.json()) as T;
    } catch {
      throw new AppError("UPSTREAM_UNAVAILABLE", { message: `${this.guard.purpose}: the answer (HTTP ${response.status}) is not JSON` });
    }
    return { headers: dict, body, status: response.status };
  }
}
