// Pipeline policies added to the SDK's own (auth, retry, …):
// - originGuardPolicy: the SDK follows nextLink as given and sends the bearer token there; refuse any
//   URL whose origin is not the configured ARM endpoint before the token is attached.
// - throttleRetryPolicy: the SDK retries 429 only when Retry-After (or retry-after-ms) is present; a 429
//   without it is returned as an error. Back off exponentially and retry a bounded number of times.
// - timeoutPolicy: every request gets a timeout unless one was set.
// - requestCounterPolicy: reports each request actually sent (retries included) with its HTTP status, or
//   0 when no response came back, for the external-requests metric.
import "server-only";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { NextLinkOriginError } from "./errors";

export function originGuardPolicy(allowedOrigin: string): PipelinePolicy {
  const origin = new URL(allowedOrigin).origin;
  return {
    name: "postureDeskOriginGuard",
    async sendRequest(request, next) {
      if (new URL(request.url).origin !== origin) throw new NextLinkOriginError(request.url, origin);
      return next(request);
    },
  };
}

export type ThrottleRetryOptions = { maxRetries: number; baseDelayMs: number; maxDelayMs: number };

export function throttleRetryPolicy(
  options: ThrottleRetryOptions,
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
): PipelinePolicy {
  return {
    name: "postureDeskThrottleRetry",
    async sendRequest(request, next) {
      for (let attempt = 0; ; attempt++) {
        const response = await next(request);
        const hasHint = ["retry-after", "retry-after-ms", "x-ms-retry-after-ms"].some((h) => response.headers.get(h) !== undefined);
        if (response.status !== 429 || hasHint || attempt >= options.maxRetries) return response;
        // Full jitter keeps many workers from retrying in lockstep.
        const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
        await sleep(Math.round(ceiling / 2 + Math.random() * (ceiling / 2)));
      }
    },
  };
}

export function timeoutPolicy(timeoutMs: number): PipelinePolicy {
  return {
    name: "postureDeskTimeout",
    sendRequest(request, next) {
      if (!request.timeout) request.timeout = timeoutMs;
      return next(request);
    },
  };
}

export function requestCounterPolicy(onRequest: (status: number) => void): PipelinePolicy {
  return {
    name: "postureDeskRequestCounter",
    async sendRequest(request, next) {
      let response;
      try {
        response = await next(request);
      } catch (error) {
        // A RestError thrown below us carries the status when a response arrived; none = network error.
        const status = (error as { statusCode?: unknown }).statusCode;
        onRequest(typeof status === "number" ? status : 0);
        throw error;
      }
      onRequest(response.status);
      return response;
    },
  };
}

/**
 * ARM read pacing (docs/OPERATIONS.md, "Azure Resource Manager limits"): every read answer carries
 * `x-ms-ratelimit-remaining-subscription-reads` (or `…-tenant-reads`). ARM's current model is a token
 * bucket per subscription and principal that refills 25 reads per second; once the remaining count falls
 * to `lowWater`, each further read of that scope waits for the tokens it would spend to refill, so a
 * long listing slows down instead of running into a 429. (A 429 still gets Retry-After handling.)
 */
export type ReadPacingOptions = { lowWater: number; refillPerSecond: number; maxDelayMs: number };

export type ReadPacer = PipelinePolicy & { stats(): { waits: number; waitedMs: number; lowestRemaining: number | null } };

export function readPacingPolicy(
  options: ReadPacingOptions,
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
  now = Date.now,
): ReadPacer {
  const remainingByScope = new Map<string, { remaining: number; at: number }>();
  const stats = { waits: 0, waitedMs: 0, lowestRemaining: null as number | null };
  const scopeOf = (url: string) => /\/subscriptions\/([^/?]+)/i.exec(new URL(url).pathname)?.[1]?.toLowerCase() ?? "tenant";
  return {
    name: "postureDeskReadPacing",
    async sendRequest(request, next) {
      const isRead = request.method === "GET";
      const scope = scopeOf(request.url);
      const known = isRead ? remainingByScope.get(scope) : undefined;
      if (known && known.remaining <= options.lowWater) {
        // Tokens refilled since the answer that reported the count, then what is still missing.
        const refilled = ((now() - known.at) / 1000) * options.refillPerSecond;
        const missing = options.lowWater - known.remaining + 1 - refilled;
        if (missing > 0) {
          const wait = Math.min(options.maxDelayMs, Math.ceil((missing / options.refillPerSecond) * 1000));
          stats.waits++;
          stats.waitedMs += wait;
          await sleep(wait);
        }
      }
      const response = await next(request);
      const header =
        response.headers.get("x-ms-ratelimit-remaining-subscription-reads") ??
        response.headers.get("x-ms-ratelimit-remaining-tenant-reads");
      const remaining = header === undefined ? NaN : Number(header);
      if (isRead && Number.isFinite(remaining)) {
        remainingByScope.set(scope, { remaining, at: now() });
        stats.lowestRemaining = stats.lowestRemaining === null ? remaining : Math.min(stats.lowestRemaining, remaining);
      }
      return response;
    },
    stats: () => ({ ...stats }),
  };
}
